package io.secureworkload.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator as it ships: the runnable jar in a JVM of its own with a fixed heap, seen from
 * outside through /metrics, /readyz, jcmd and /proc. Not the process harness of the fault suite.
 */
final class OperatorProcess implements AutoCloseable {

  static final String HEAP = "-Xmx256m";

  /** For the scale scenario, whose thousands of workloads do not fit in {@link #HEAP}. */
  static final String SCALE_HEAP = "-Xmx1g";

  private static final Pattern AWS_CALL =
      Pattern.compile("^secureworkload_aws_calls_total\\{([^}]*)\\} ([0-9.eE+]+)$");
  private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]+)\"");
  private static final Pattern HISTOGRAM_TOTAL =
      Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
  private static final Pattern HEAP_IN_USE = Pattern.compile("total \\d+K, used (\\d+)K");

  private final Process process;
  private final int metricsPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int metricsPort) {
    this.process = process;
    this.metricsPort = metricsPort;
  }

  static OperatorProcess start(
      Path jar, String heap, Map<String, String> env, Path log, int metricsPort) {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder =
        new ProcessBuilder(java, heap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      return new OperatorProcess(builder.start(), metricsPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Throws when the operator has exited (an OutOfMemoryError ends it): no use waiting then. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "The operator exited with " + process.exitValue() + "; see bench-operator.log");
    }
  }

  /** The classes taking the most heap, as jcmd GC.class_histogram lists them. */
  String histogram(int lines) {
    return jcmd("GC.class_histogram").lines().limit(lines + 3L).collect(Collectors.joining("\n"));
  }

  /** Waits for /readyz: started, every informer synced. */
  Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < timeout.toNanos()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The operator exited with " + process.exitValue());
      }
      try {
        if (get("/readyz").statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException e) {
        // Not serving yet.
      }
      Bench.sleep(100);
    }
    throw new IllegalStateException("The operator was not ready within " + timeout);
  }

  /** AWS calls so far by operation, from the operator's own /metrics. */
  Map<String, Long> awsCalls() {
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

  /** Successful reconciliations so far (JOSDK's counter). */
  long reconciliations() {
    return (long)
        metricsLines().stream()
            .filter(line -> line.startsWith("operator_sdk_reconciliations_success"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
  }

  /**
   * The heap the operator keeps, in MiB: the bytes of the objects still reachable, counted by jcmd
   * GC.class_histogram in the safepoint of the full GC it runs, least of three samples 5 s apart.
   * The heap in use read after a separate full GC (GC.run, then GC.heap_info) also counts what was
   * allocated between the two commands: at 5,000 workloads it read 389-685 MiB where the reachable
   * objects came to 276-289 MiB. One sample can still land on work in flight (a restart's
   * reconciliations), hence the least of three.
   */
  double heapAfterGcMiB() {
    double least = Double.NaN;
    for (int sample = 0; sample < 3; sample++) {
      if (sample > 0) {
        Bench.sleep(5000);
      }
      var matcher = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram"));
      if (matcher.find()) {
        double live = Long.parseLong(matcher.group(1)) / (1024.0 * 1024.0);
        var inUse = HEAP_IN_USE.matcher(jcmd("GC.heap_info"));
        System.out.printf(
            "bench: heap sample: reachable %.1f MiB, in use %s MiB%n",
            live, inUse.find() ? Long.parseLong(inUse.group(1)) / 1024 : "?");
        least = Double.isNaN(least) ? live : Math.min(least, live);
      }
    }
    return least;
  }

  /** The resident set size, in MiB. */
  double rssMiB() {
    try {
      for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Double.NaN;
  }

  private String jcmd(String command) {
    var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      var run =
          new ProcessBuilder(jcmd, String.valueOf(pid()), command)
              .redirectErrorStream(true)
              .start();
      var out = new String(run.getInputStream().readAllBytes());
      run.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> metricsLines() {
    try {
      return get("/metrics").body().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
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

  /** SIGTERM, as Kubernetes stops a pod; the operator hands over and exits. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
