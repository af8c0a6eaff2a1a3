package io.secureworkload.operator.testsupport.eks;

import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EksDouble} per test class, in moto's region and default account, with one cluster;
 * reset before each test. JUnit does not promise the order of extensions on static fields, so the
 * {@link MotoExtension} it checks roles in is started eagerly:
 *
 * <pre>{@code
 * @RegisterExtension static final MotoExtension moto = MotoExtension.startedEagerly();
 * @RegisterExtension static final EksDoubleExtension eks = EksDoubleExtension.with(moto, "prod");
 * }</pre>
 */
public final class EksDoubleExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final MotoExtension moto;
  private final String cluster;
  private EksDouble eks;

  private EksDoubleExtension(MotoExtension moto, String cluster) {
    this.moto = moto;
    this.cluster = cluster;
  }

  public static EksDoubleExtension with(MotoExtension moto, String cluster) {
    return new EksDoubleExtension(moto, cluster);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (eks == null) {
      eks = EksDouble.start(moto.endpoint(), MotoServer.REGION, MotoServer.ACCOUNT_ID);
      eks.addCluster(cluster);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    eks.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (eks != null) {
      eks.close();
      eks = null;
    }
  }

  public EksDouble eks() {
    if (eks == null) {
      throw new IllegalStateException("register EksDoubleExtension on a static field");
    }
    return eks;
  }

  public String cluster() {
    return cluster;
  }
}
