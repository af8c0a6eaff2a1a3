package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The guardrails' own cost ({@link GuardrailScenario}) in a JVM of its own, JIT-compiled as the
 * operator is (the build's JVM runs with C1 only): the action catalogue's heap, and the time of one
 * workload's decision for a 50-statement spec with wildcards.
 */
final class GuardrailsScenario extends Scenario {

  static final double P99_TARGET_MILLIS = 5;
  static final int WORKLOADS = 2000;

  private static final Pattern LINE =
      Pattern.compile(
          "guardrails (admitted|hostile): catalogue ([0-9.]+) MiB; ([0-9]+) workloads of [0-9]+"
              + " statements: p50 ([0-9.]+) ms, p99 ([0-9.]+) ms; allocated p50 ([0-9.]+) KiB;"
              + " CPU p50 ([0-9]+) us, p99 ([0-9]+) us");

  GuardrailsScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    var matcher = LINE.matcher(measureInOwnJvm());
    var rows = new ArrayList<List<String>>();
    double catalogue = 0;
    double admittedP50 = -1;
    double admittedP99 = -1;
    while (matcher.find()) {
      catalogue = Double.parseDouble(matcher.group(2));
      double p50 = Double.parseDouble(matcher.group(4));
      double p99 = Double.parseDouble(matcher.group(5));
      boolean admitted = matcher.group(1).equals("admitted");
      if (admitted) {
        admittedP50 = p50;
        admittedP99 = p99;
      }
      rows.add(
          List.of(
              admitted
                  ? "admitted whole by a platform policy (s3:Get*, sqs:*Message, dynamodb:*Item, ...)"
                  : "hostile: 3 random patterns a statement (iam:*, *:Describe*, s3:*, ...), most"
                      + " refused or narrowed",
              matcher.group(3),
              f(p50) + " ms",
              f(p99) + " ms",
              matcher.group(6) + " KiB",
              matcher.group(7) + " µs",
              matcher.group(8) + " µs"));
    }
    if (admittedP99 < 0) {
      throw new IllegalStateException("the guardrail measurement printed no figures");
    }
    report
        .text("## Guardrail evaluation")
        .text(
            "One workload's decision as Admission makes it (policies combined, the spec evaluated"
                + " and narrowed, the inline policy that is sent written and measured) for a spec of "
                + GuardrailScenario.STATEMENTS
                + " statements with wildcards, each workload in a namespace of its own, in a JVM of"
                + " its own (`-Xmx256m`, default collector). Action catalogue heap: "
                + f(catalogue)
                + " MiB. Beside the wall clock, what one decision costs its own thread, which"
                + " other load on the machine does not change: the bytes it allocates (what the"
                + " young collections in the tail are paid in) and its CPU time.")
        .table(
            List.of("Spec", "Workloads", "p50", "p99", "Allocated p50", "CPU p50", "CPU p99"),
            rows);
    run.targets.add(
        new BenchRun.Target(
            "Guardrail evaluation of a 50-statement spec with wildcards: p99 ≤ 5 ms",
            "p50 "
                + f(admittedP50)
                + " ms, p99 "
                + f(admittedP99)
                + " ms; catalogue "
                + f(catalogue)
                + " MiB",
            admittedP99 <= P99_TARGET_MILLIS));
  }

  private static String measureInOwnJvm() throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-cp", classPath(), GuardrailScenario.class.getName()));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("BENCH_N", String.valueOf(WORKLOADS));
    var process = builder.start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the guardrail measurement failed: " + output);
    }
    System.out.print(output);
    return output;
  }

  /** The class path this driver runs on: exec:java's own class loader, else the JVM's. */
  private static String classPath() {
    if (GuardrailsScenario.class.getClassLoader() instanceof URLClassLoader loader) {
      var entries = new ArrayList<String>();
      for (var url : loader.getURLs()) {
        entries.add(Path.of(java.net.URI.create(url.toString())).toString());
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
