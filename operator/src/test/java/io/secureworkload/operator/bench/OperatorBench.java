package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import io.secureworkload.operator.testsupport.TestPaths;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code make bench}: the operator's runnable jar as its own process ({@link BenchOperator#HEAP})
 * against the local API server (with its audit log) and moto, driven through one scenario class
 * after the other: the guardrails' own cost, create, steady state, child drift, AWS drift, restart,
 * unrelated objects, the list-roles sweep mode, delete, scale and two AWS accounts; writes
 * docs/benchmarks.md and docs/benchmarks.png. {@code BENCH_N} workloads (100), {@code
 * BENCH_SCALE_N} for the memory scenario at scale (5,000; 0 skips it), {@code BENCH_UNRELATED}
 * unrelated ServiceAccounts and as many NetworkPolicies (10,000; 0 skips it).
 */
public final class OperatorBench {

  private final BenchRun bench;

  private OperatorBench(BenchRun bench) {
    this.bench = bench;
  }

  public static void main(String[] args) throws Exception {
    try (var bench =
        new BenchRun(
            setting("BENCH_N", 100),
            setting("BENCH_SCALE_N", 5000),
            setting("BENCH_UNRELATED", 10000))) {
      new OperatorBench(bench).run();
    }
    System.exit(0);
  }

  private static int setting(String name, int fallback) {
    return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(fallback)));
  }

  private void run() throws Exception {
    Files.deleteIfExists(bench.log);
    environment();
    int targetsSection = bench.report.reserve();
    try {
      for (var scenario :
          List.of(
              new GuardrailsScenario(bench),
              new CreateScenario(bench),
              new SteadyStateScenario(bench),
              new ChildDriftScenario(bench),
              new AwsDriftScenario(bench),
              new RestartScenario(bench),
              new UnrelatedObjectsScenario(bench),
              new ListRolesModeScenario(bench),
              new DeleteScenario(bench),
              new ScaleScenario(bench),
              new MultiAccountScenario(bench))) {
        if (chosen(scenario)) {
          scenario.run();
        }
        if (scenario instanceof RestartScenario) {
          histogram("n");
        } else if (scenario instanceof ScaleScenario) {
          histogram("scale");
        }
      }
    } catch (RuntimeException e) {
      // What was measured before still goes on the page, with where and why it stopped.
      bench.report.text("## Stopped early\n\n`" + e + "`");
      System.out.println("bench: stopped early: " + e);
    }
    finish(targetsSection, bench.created, bench.scaled);
  }

  /**
   * With {@code BENCH_SCENARIOS} (class names without "Scenario", comma-separated, e.g.
   * MultiAccount), only those run; some rely on the operator or workloads an earlier one left.
   */
  private static boolean chosen(Scenario scenario) {
    var names = System.getenv("BENCH_SCENARIOS");
    if (names == null || names.isBlank()) {
      return true;
    }
    var name = scenario.getClass().getSimpleName().replace("Scenario", "");
    return Arrays.stream(names.split(",")).map(String::trim).anyMatch(name::equalsIgnoreCase);
  }

  /** With {@code BENCH_HISTOGRAM=1}, the operator's heap by class, into the build directory. */
  private void histogram(String when) throws IOException {
    if (System.getenv("BENCH_HISTOGRAM") != null) {
      Files.writeString(
          TestPaths.buildDir().resolve("bench-histogram-" + when + ".txt"),
          bench.operator.histogram(40));
    }
  }

  private void finish(int targetsSection, BenchReport.Series created, BenchReport.Series scaled) {
    var curves = new ArrayList<BenchReport.Series>();
    if (created != null) {
      curves.add(created);
    }
    curves.add(
        new BenchReport.Series(
            "IAM floor at " + f(Scenario.IAM_RATE) + " calls/s (3 necessary calls per workload)",
            Color.GRAY,
            List.of(new double[] {0, 0}, new double[] {bench.n, 3 * bench.n / Scenario.IAM_RATE})));
    bench.report.chart(
        new BenchReport.Chart(
            "Time until k of N=" + bench.n + " workloads are Ready, all applied at once",
            "workloads Ready (k)",
            "seconds",
            curves));
    if (scaled != null) {
      bench.report.chart(
          new BenchReport.Chart(
              "Time until k of N="
                  + bench.scaleN
                  + " are Ready (IAM rate "
                  + f(Scenario.SCALE_IAM_RATE)
                  + "/s)",
              "workloads Ready (k)",
              "seconds",
              List.of(
                  scaled,
                  new BenchReport.Series(
                      "IAM floor at " + f(Scenario.SCALE_IAM_RATE) + " calls/s",
                      Color.GRAY,
                      List.of(
                          new double[] {0, 0},
                          new double[] {
                            bench.scaleN, 3 * bench.scaleN / Scenario.SCALE_IAM_RATE
                          })))));
    }
    bench.report.panel("IAM calls per workload", "calls", bench.callsPerWorkload);
    bench.report.at(targetsSection, this::writeTargets);
    var docs = TestPaths.repoRoot().resolve("docs");
    bench.report.write(docs.resolve("benchmarks.md"), docs.resolve("benchmarks.png"));
    System.out.println("bench: wrote docs/benchmarks.md and docs/benchmarks.png");
    bench.targets.forEach(
        t ->
            System.out.println(
                "bench target "
                    + (t.met() ? "met" : "MISSED")
                    + ": "
                    + t.what()
                    + " — "
                    + t.measured()));
  }

  private void environment() throws Exception {
    var version = bench.client.getKubernetesVersion();
    var cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown");
    bench
        .report
        .text("# Benchmarks")
        .text(
            "Generated by `make bench` (`operator/src/test/java/io/secureworkload/operator/bench/`)"
                + " on "
                + LocalDate.now()
                + " with `BENCH_N="
                + bench.n
                + "`. Rerun it to refresh this page (`BENCH_N`, `BENCH_SCALE_N`, `BENCH_UNRELATED`"
                + " set the sizes); figures move with the machine, the ratios less."
                + " ![benchmarks](benchmarks.png)")
        .table(
            List.of("Environment", ""),
            List.of(
                List.of("Workloads (N)", bench.n + " across " + Bench.NAMESPACES + " namespaces"),
                List.of(
                    "Spec",
                    "full: 2 statements, 1 managed policy, 2 secrets, 1 SG, ingress, egress"),
                List.of(
                    "CPU",
                    Runtime.getRuntime().availableProcessors()
                        + " cores, "
                        + cpu
                        + " (shared with the API server, etcd, moto and this driver)"),
                List.of(
                    "Operator",
                    "runnable jar, own JVM, `"
                        + BenchOperator.HEAP
                        + "`, Java "
                        + System.getProperty("java.version")),
                List.of(
                    "Kubernetes",
                    "kube-apiserver " + version.getGitVersion() + " + etcd (no controllers)"),
                List.of(
                    "AWS",
                    "moto (unthrottled), IAM rate limit "
                        + f(Scenario.IAM_RATE)
                        + "/s per account; GetAccountSummary refused by a proxy (moto reports a"
                        + " fixed quota of 1,000 roles), so the operator counts against"
                        + " SW_ROLE_QUOTA="
                        + BenchRun.ROLE_QUOTA),
                List.of(
                    "Settings",
                    "defaults (AWS drift sweep every "
                        + Scenario.DEFAULT_SWEEP.toSeconds()
                        + " s, mode authorization-details) except SW_RESYNC_PERIOD="
                        + Scenario.RESYNC
                        + " (1 h by default), so that the steady state sees two resyncs")));
  }

  private void writeTargets(BenchReport section) {
    section
        .text("## Targets")
        .table(
            List.of("Target", "Measured", "Met"),
            bench.targets.stream()
                .map(t -> List.of(t.what(), t.measured(), t.met() ? "yes" : "**no**"))
                .toList());
  }
}
