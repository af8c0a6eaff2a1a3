package io.secureworkload.operator.testsupport.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An HTTP proxy on a free 127.0.0.1 port between the AWS SDK and moto. It forwards every call
 * unchanged and returns moto's answer unchanged, except where a {@link FaultRule} picks the call:
 * then it answers with an AWS error, drops the connection, or holds the call back first. It counts
 * every call by operation and outcome ({@link #calls()}). Rules can be added and removed while
 * calls are in flight.
 *
 * <pre>{@code
 * try (var proxy = FaultProxy.forwardingTo(moto::endpoint).seed(7).start()) {
 *   IamClient iam = IamClient.builder().endpointOverride(proxy.endpoint())...build();
 *   proxy.add(FaultRule.inject(Fault.throttling()).forOperations("GetRole").withProbability(0.5));
 * }
 * }</pre>
 *
 * <p>Only the {@code Host} header changes on the way (the JDK client writes its own); moto checks
 * no signature. {@code Connection}, {@code Content-Length} and other hop-by-hop headers are set
 * afresh for each hop. A {@link Fault.ConnectionReset} resets the TCP connection (RST) after the
 * whole request was read.
 */
public final class FaultProxy implements AutoCloseable {

  /** Used when no seed is given, so that a rate rule picks the same calls on every run. */
  public static final long DEFAULT_SEED = 20_251_001L;

  /** How many of the latest calls {@link #requests} remembers. */
  public static final int KEPT_REQUESTS = 10_000;

  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);
  // Per hop, or written by the JDK client itself (it refuses to take them from us).
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private final Supplier<URI> upstream;
  private final long seed;
  private final Clock clock;
  private final LoopbackHttpServer server;
  private final HttpClient http;
  private final URI endpoint;
  private final List<InstalledRule> rules = new CopyOnWriteArrayList<>();
  private final CallCounts calls = new CallCounts();
  private final java.util.Deque<AwsOperation> requests =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  private FaultProxy(Supplier<URI> upstream, long seed, Clock clock) {
    this.upstream = upstream;
    this.seed = seed;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.server = new LoopbackHttpServer(this::handle);
    this.endpoint = URI.create("http://127.0.0.1:" + server.port());
  }

  /**
   * A proxy in front of this endpoint, read again for every call: the proxy can start before moto,
   * and follows moto to a new port.
   */
  public static Builder forwardingTo(Supplier<URI> upstream) {
    return new Builder(upstream);
  }

  public static Builder forwardingTo(URI upstream) {
    return new Builder(() -> upstream);
  }

  /** Where the SDK should send its calls: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Starts applying the rule to the calls that arrive from now on, after the rules added before.
   */
  public InstalledRule add(FaultRule rule) {
    var installed = new InstalledRule(rule, seed, clock, rules::remove);
    rules.add(installed);
    return installed;
  }

  /** The rules in the order they are tried. */
  public List<InstalledRule> rules() {
    return List.copyOf(rules);
  }

  /** Removes every rule: from now on, calls go to moto unharmed. */
  public void clearRules() {
    rules.clear();
  }

  public CallCounts calls() {
    return calls;
  }

  /**
   * The last calls of this operation (at most {@link #KEPT_REQUESTS} calls of any operation are
   * kept), oldest first, with their parameters: what the SDK sent, e.g. an AssumeRole's ExternalId.
   */
  public List<AwsOperation> requests(String operation) {
    return requests.stream().filter(r -> r.name().equals(operation)).toList();
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "FaultProxy " + endpoint + " rules " + rules + " calls " + calls;
  }

  /** The answer to one call, or empty to reset its connection. */
  private Optional<Answer> handle(LoopbackHttpServer.Request request) {
    AwsOperation operation = AwsOperation.of(request.target(), request.headers(), request.body());
    requests.addLast(operation);
    while (requests.size() > KEPT_REQUESTS) {
      requests.pollFirst();
    }
    Verdict verdict = judge(operation);
    if (verdict.delayed()) {
      try {
        Thread.sleep(verdict.delay().toMillis());
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    if (verdict.fault() instanceof Fault.ErrorReply error) {
      calls.record(operation, error.code(), verdict.delayed());
      List<String> contentType = request.headers().get("Content-Type");
      return Optional.of(
          ErrorReplies.of(error, operation, contentType == null ? null : contentType.get(0)));
    }
    if (verdict.fault() instanceof Fault.ConnectionReset) {
      calls.record(operation, CallCounts.CONNECTION_RESET, verdict.delayed());
      return Optional.empty();
    }
    return forward(request, operation, verdict.delayed());
  }

  /** The delay of every latency rule that picks the call, and the first other fault that does. */
  private record Verdict(Duration delay, Fault fault) {
    boolean delayed() {
      return !delay.isZero();
    }
  }

  private Verdict judge(AwsOperation operation) {
    Duration delay = Duration.ZERO;
    Fault fault = null;
    for (InstalledRule rule : rules) {
      if (rule.rule().fault() instanceof Fault.Latency latency) {
        if (rule.picks(operation)) {
          delay = delay.plus(latency.delay());
        }
      } else if (fault == null && rule.picks(operation)) {
        fault = rule.rule().fault();
      }
    }
    return new Verdict(delay, fault);
  }

  private Optional<Answer> forward(
      LoopbackHttpServer.Request request, AwsOperation operation, boolean delayed) {
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(upstreamRequest(request), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (IOException | RuntimeException unreachable) {
      calls.record(operation, CallCounts.UPSTREAM_FAILED, delayed);
      return Optional.empty();
    }
    calls.record(operation, CallCounts.FORWARDED, delayed);
    return Optional.of(new Answer(answer.statusCode(), answer.headers().map(), answer.body()));
  }

  private HttpRequest upstreamRequest(LoopbackHttpServer.Request request) {
    URI requested = request.target();
    String base = upstream.get().toString().replaceAll("/+$", "");
    String target =
        base
            + requested.getRawPath()
            + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery());
    var upstreamRequest =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(UPSTREAM_TIMEOUT)
            .method(
                request.method(),
                request.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> upstreamRequest.header(name, value));
              }
            });
    return upstreamRequest.build();
  }

  /** Sets up a {@link FaultProxy}; {@link #start()} binds its port. */
  public static final class Builder {

    private final Supplier<URI> upstream;
    private long seed = DEFAULT_SEED;
    private Clock clock = Clock.systemUTC();

    private Builder(Supplier<URI> upstream) {
      this.upstream = upstream;
    }

    /** The seed of every rule's random draws that names none of its own. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The clock that opens and closes the rules' windows. */
    Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** Binds a free port on 127.0.0.1 and starts serving. */
    public FaultProxy start() {
      return new FaultProxy(upstream, seed, clock);
    }
  }
}
