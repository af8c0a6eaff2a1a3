package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The operator in a process of its own, the one way every test starts it (the e2e tests, the fault
 * suite, the runnable-jar test and the benchmark): its main class on the test class path, or the
 * shaded jar with {@code java -jar}; configured only through the environment, Kubernetes through a
 * kubeconfig, AWS through the default credential chain; seen from outside through /readyz and
 * /metrics. It can be killed, stopped and started again; every start appends to the same log.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final String MAIN_CLASS = "io.secureworkload.operator.SecureWorkloadOperator";
  private static final Pattern AWS_CALL =
      Pattern.compile("^secureworkload_aws_calls_total\\{([^}]*)\\} ([0-9.eE+]+)$");
  private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]+)\"");

  private final List<String> command;
  private final Map<String, String> env;
  private final boolean inheritEnvironment;
  private final Path log;
  private final int metricsPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;
  private int starts;

  private OperatorProcess(Builder builder) {
    this.command = builder.command();
    this.env = builder.env;
    this.inheritEnvironment = builder.inheritEnvironment;
    this.log = builder.log;
    this.metricsPort = builder.metricsPort;
  }

  /**
   * @param name names the log and the kubeconfig under the build directory
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** How the process is started; every setting has a default but the cluster and AWS. */
  public static final class Builder {
    private final String name;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmFlags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
    private Path jar;
    private String heap;
    private boolean inheritEnvironment = true;
    private String kubeConfigYaml;
    private Path log;
    private int metricsPort;

    private Builder(String name) {
      this.name = name;
      env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
      env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
      env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
      env.put(OperatorSettings.METRICS_PORT, "0");
    }

    /** The cluster the operator says it runs in, and its OIDC issuer. */
    public Builder cluster(String clusterName, String issuerUrl) {
      env.put(OperatorSettings.CLUSTER_NAME, clusterName);
      env.put(OperatorSettings.OIDC_ISSUER_URL, issuerUrl);
      return this;
    }

    /** How the process finds the API server; the local test API server's when not given. */
    public Builder kubeConfig(String yaml) {
      this.kubeConfigYaml = yaml;
      return this;
    }

    /** Moto, or a fault proxy in front of it. */
    public Builder aws(URI endpoint) {
      env.put(OperatorSettings.AWS_ENDPOINT_URL, endpoint.toString());
      return this;
    }

    /** The shipped artifact with {@code java -jar}, instead of the main class on the class path. */
    public Builder jar(Path runnableJar) {
      this.jar = runnableJar;
      return this;
    }

    /** {@code -Xmx...}; the JVM's default when not given. */
    public Builder heap(String maxHeapFlag) {
      this.heap = maxHeapFlag;
      return this;
    }

    /** The JVM flags instead of the default (C1 only, for a quick start). */
    public Builder jvmFlags(String... flags) {
      jvmFlags.clear();
      jvmFlags.addAll(List.of(flags));
      return this;
    }

    /** Nothing of the test's own environment but PATH, as in a container. */
    public Builder cleanEnvironment() {
      this.inheritEnvironment = false;
      return this;
    }

    /** /readyz and /metrics on this port (none by default). */
    public Builder metricsPort(int port) {
      this.metricsPort = port;
      env.put(OperatorSettings.METRICS_PORT, String.valueOf(port));
      return this;
    }

    /** /readyz and /metrics on a free port of the loopback interface. */
    public Builder anyMetricsPort() {
      return metricsPort(MotoServer.freeLoopbackPort());
    }

    /** One more variable of the process's environment (an {@code SW_} setting, say). */
    public Builder env(String variable, String value) {
      env.put(variable, value);
      return this;
    }

    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /**
     * The log of every start of the process, appended to (one the caller names is never emptied
     * here); {@code <name>-operator.log}, emptied by {@link #build}, when not given.
     */
    public Builder log(Path file) {
      this.log = file;
      return this;
    }

    /** The process, not started yet. */
    public OperatorProcess build() {
      try {
        var yaml = kubeConfigYaml != null ? kubeConfigYaml : KubeApiServer.get().kubeConfigYaml();
        var kubeconfig =
            Files.writeString(TestPaths.buildDir().resolve(name + "-kubeconfig"), yaml);
        env.put("KUBECONFIG", kubeconfig.toString());
        if (log == null) {
          log = TestPaths.buildDir().resolve(name + "-operator.log");
          Files.deleteIfExists(log);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new OperatorProcess(this);
    }

    /** The process, started. */
    public OperatorProcess start() {
      return build().start();
    }

    private List<String> command() {
      var command = new ArrayList<String>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (heap != null) {
        command.add(heap);
      }
      command.addAll(jvmFlags);
      if (jar != null) {
        command.addAll(List.of("-jar", jar.toString()));
      } else {
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
      }
      return List.copyOf(command);
    }
  }

  /** Sets one more variable for the next start (an {@code SW_} setting, say). */
  public OperatorProcess with(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  /** The settings the process reads, for a test that computes what the operator should write. */
  public OperatorSettings settings() {
    return OperatorSettings.fromEnvironment(env);
  }

  public synchronized OperatorProcess start() {
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (!inheritEnvironment) {
      builder.environment().clear();
      builder.environment().put("PATH", System.getenv("PATH"));
    }
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    starts++;
    return this;
  }

  /** SIGKILL: no shutdown hook runs, reconciliations in flight stop wherever they are. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(30));
    }
  }

  /**
   * SIGTERM, as Kubernetes stops a pod, then waits up to {@code within} for the process to exit.
   *
   * @return whether it exited in time (it is killed otherwise)
   */
  public synchronized boolean stop(Duration within) {
    if (process == null || !process.isAlive()) {
      return true;
    }
    process.destroy();
    boolean exited = awaitExit(within);
    if (!exited) {
      kill();
    }
    return exited;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Throws when the process has exited (an OutOfMemoryError ends it): no use waiting then. */
  public synchronized void requireAlive() {
    if (!isAlive()) {
      throw new IllegalStateException(
          "The operator exited with "
              + (process == null ? "no start" : process.exitValue())
              + "; see "
              + log);
    }
  }

  public synchronized long pid() {
    return process.pid();
  }

  /** How many times the process was started. */
  public synchronized int starts() {
    return starts;
  }

  public Path log() {
    return log;
  }

  /** The log so far, for a failure message. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Waits for /readyz: started, every informer synced. Returns how long that took. */
  public Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < timeout.toNanos()) {
      requireAlive();
      try {
        if (get("/readyz").statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException e) {
        // Not serving yet.
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "The operator was not ready within " + timeout + "; see " + log);
  }

  /** A GET of the process's own HTTP server (/healthz, /readyz, /metrics). */
  public HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The lines of /metrics. */
  public List<String> metricsLines() {
    try {
      return get("/metrics").body().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** AWS calls so far by operation, every outcome, from the operator's own /metrics. */
  public Map<String, Long> awsCalls() {
    var calls = new TreeMap<String, Long>();
    for (var line : metricsLines()) {
      var matcher = AWS_CALL.matcher(line);
      if (matcher.matches()) {
        var operation = OPERATION.matcher(matcher.group(1));
        if (operation.find()) {
          calls.merge(operation.group(1), (long) Double.parseDouble(matcher.group(2)), Long::sum);
        }
      }
    }
    return calls;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  private boolean awaitExit(Duration within) {
    try {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
