package io.secureworkload.operator.bench;

import io.secureworkload.operator.testsupport.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator as it ships, as the benchmark sees it: the runnable jar in a JVM of its own with a
 * fixed heap ({@link OperatorProcess}), measured from outside through /metrics, jcmd and /proc.
 */
final class BenchOperator implements AutoCloseable {

  static final String HEAP = "-Xmx256m";

  /** For the scale scenario, whose thousands of workloads do not fit in {@link #HEAP}. */
  static final String SCALE_HEAP = "-Xmx1g";

  private static final Pattern HISTOGRAM_TOTAL =
      Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
  private static final Pattern AWS_CALL =
      Pattern.compile("^secureworkload_aws_calls_total\\{([^}]*)\\} ([0-9.eE+]+)$");
  private static final Pattern HEAP_IN_USE = Pattern.compile("total \\d+K, used (\\d+)K");

  private final OperatorProcess process;

  private BenchOperator(OperatorProcess process) {
    this.process = process;
  }

  /** Starts the jar and waits until it is ready; every start appends to {@code log}. */
  static BenchOperator start(
      Path jar, String heap, Map<String, String> env, Path log, int metricsPort) {
    var process =
        OperatorProcess.builder("bench")
            .jar(jar)
            .heap(heap)
            .jvmFlags("-XX:+ExitOnOutOfMemoryError")
            .env(env)
            .log(log)
            .metricsPort(metricsPort)
            .start();
    process.awaitReady(Duration.ofMinutes(5));
    return new BenchOperator(process);
  }

  long pid() {
    return process.pid();
  }

  /** Throws when the operator has exited (an OutOfMemoryError ends it): no use waiting then. */
  void requireAlive() {
    process.requireAlive();
  }

  /** AWS calls so far by operation, from the operator's own /metrics. */
  Map<String, Long> awsCalls() {
    return process.awsCalls();
  }

  /**
   * One service's AWS calls so far by the account they acted in, then by operation, from the {@code
   * account} and {@code service} labels of the operator's /metrics.
   */
  Map<String, Map<String, Long>> awsCallsByAccount(String service) {
    var byAccount = new TreeMap<String, Map<String, Long>>();
    for (var line : process.metricsLines()) {
      var call = AWS_CALL.matcher(line);
      if (call.matches() && service.equals(label(call.group(1), "service"))) {
        byAccount
            .computeIfAbsent(label(call.group(1), "account"), account -> new TreeMap<>())
            .merge(
                label(call.group(1), "operation"),
                (long) Double.parseDouble(call.group(2)),
                Long::sum);
      }
    }
    return byAccount;
  }

  /** Successful calls of this operation, by account. */
  Map<String, Long> successfulCallsByAccount(String operation) {
    var byAccount = new TreeMap<String, Long>();
    for (var line : process.metricsLines()) {
      var call = AWS_CALL.matcher(line);
      if (call.matches()
          && operation.equals(label(call.group(1), "operation"))
          && "success".equals(label(call.group(1), "outcome"))) {
        byAccount.merge(
            label(call.group(1), "account"), (long) Double.parseDouble(call.group(2)), Long::sum);
      }
    }
    return byAccount;
  }

  private static String label(String labels, String name) {
    var value = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return value.find() ? value.group(1) : "";
  }

  /** The classes taking the most heap, as jcmd GC.class_histogram lists them. */
  String histogram(int lines) {
    return jcmd("GC.class_histogram").lines().limit(lines + 3L).collect(Collectors.joining("\n"));
  }

  /** Successful reconciliations so far (JOSDK's counter). */
  long reconciliations() {
    return (long)
        process.metricsLines().stream()
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

  /** SIGTERM, as Kubernetes stops a pod; the operator hands over and exits. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
