package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's main class in a process of its own, as {@code OperatorProcessIT} runs it
 * (configured only through the environment, Kubernetes through a kubeconfig, AWS through the
 * default credential chain), for the tests that kill it, stop it or start it again. Every start
 * appends to the same log.
 */
public final class OperatorProcess implements AutoCloseable {

  public static final String CLUSTER = "faults";
  public static final String ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/FAULTS";

  private final Map<String, String> env = new HashMap<>();
  private final Path log;
  private Process process;
  private int starts;

  /**
   * @param name names the log and the kubeconfig under the build directory
   * @param kubeConfigYaml how the process finds the API server
   * @param awsEndpoint moto, or a fault proxy in front of it
   */
  public OperatorProcess(String name, String kubeConfigYaml, URI awsEndpoint) {
    try {
      var kubeconfig =
          Files.writeString(TestPaths.buildDir().resolve(name + "-kubeconfig"), kubeConfigYaml);
      log = TestPaths.buildDir().resolve(name + "-operator.log");
      Files.deleteIfExists(log);
      env.put("KUBECONFIG", kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    env.put(OperatorSettings.CLUSTER_NAME, CLUSTER);
    env.put(OperatorSettings.OIDC_ISSUER_URL, ISSUER);
    env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
    env.put(OperatorSettings.AWS_ENDPOINT_URL, awsEndpoint.toString());
    env.put(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY);
    env.put(OperatorSettings.METRICS_PORT, "0");
    env.put(OperatorSettings.IAM_REQUESTS_PER_SECOND, "50");
  }

  /** Sets one more variable of the process's environment (an {@code SW_} setting, say). */
  public OperatorProcess with(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  /** The settings the process reads, for a test that computes what the operator should write. */
  public OperatorSettings settings() {
    return OperatorSettings.fromEnvironment(env);
  }

  public synchronized OperatorProcess start() {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.secureworkload.operator.SecureWorkloadOperator")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
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
   * SIGTERM, then waits up to {@code within} for the process to exit.
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
}
