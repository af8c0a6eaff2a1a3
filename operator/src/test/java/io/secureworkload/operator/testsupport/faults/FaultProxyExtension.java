package io.secureworkload.operator.testsupport.faults;

import io.secureworkload.operator.testsupport.MotoExtension;
import java.net.URI;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FaultProxy} per test class, with no rules and no counts at the start of each test.
 * Register it beside the moto it fronts and give the SDK {@link #endpoint()}:
 *
 * <pre>{@code
 * @RegisterExtension static final MotoExtension moto = new MotoExtension();
 * @RegisterExtension static final FaultProxyExtension proxy = FaultProxyExtension.inFrontOf(moto);
 * }</pre>
 *
 * <p>The proxy reads moto's endpoint at each call, so the two extensions may start in any order.
 * {@link #startedEagerly()} starts the proxy when the field is initialised, for extensions that
 * need its endpoint as they are built.
 */
public final class FaultProxyExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final Supplier<URI> upstream;
  private long seed = FaultProxy.DEFAULT_SEED;
  private FaultProxy proxy;
  // Nested test classes see the same static extension; only the outermost class owns the proxy.
  private Class<?> owner;

  private FaultProxyExtension(Supplier<URI> upstream) {
    this.upstream = upstream;
  }

  public static FaultProxyExtension inFrontOf(MotoExtension moto) {
    return new FaultProxyExtension(moto::endpoint);
  }

  public static FaultProxyExtension inFrontOf(Supplier<URI> upstream) {
    return new FaultProxyExtension(upstream);
  }

  /** The seed of the rules' random draws; set before the proxy starts. */
  public FaultProxyExtension seed(long value) {
    if (proxy != null) {
      throw new IllegalStateException("The proxy already started with seed " + seed);
    }
    this.seed = value;
    return this;
  }

  public FaultProxyExtension startedEagerly() {
    start();
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
    if (owner == null) {
      owner = context.getRequiredTestClass();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    proxy().clearRules();
    proxy().calls().clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (proxy != null && context.getRequiredTestClass().equals(owner)) {
      proxy.close();
      proxy = null;
    }
  }

  public URI endpoint() {
    return proxy().endpoint();
  }

  public InstalledRule add(FaultRule rule) {
    return proxy().add(rule);
  }

  public void clearRules() {
    proxy().clearRules();
  }

  public CallCounts calls() {
    return proxy().calls();
  }

  public FaultProxy proxy() {
    if (proxy == null) {
      throw new IllegalStateException(
          "The fault proxy is not running: register FaultProxyExtension on a static field with"
              + " @RegisterExtension");
    }
    return proxy;
  }

  private void start() {
    if (proxy == null) {
      proxy = FaultProxy.forwardingTo(upstream).seed(seed).start();
    }
  }
}
