package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import io.secureworkload.operator.config.OperatorSettings;
import java.awt.Color;
import java.util.List;
import java.util.Map;

/** BENCH_SCALE_N workloads at a raised IAM rate and a larger heap. */
final class ScaleScenario extends Scenario {

  ScaleScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    run.scaled = scale();
  }

  /** {@code BENCH_SCALE_N} workloads at a raised IAM rate: memory at scale, and its curve. */
  private BenchReport.Series scale() {
    if (scaleN == 0) {
      return null;
    }
    run.operator.close();
    run.operator =
        start(
            BenchOperator.SCALE_HEAP,
            Map.of(OperatorSettings.IAM_REQUESTS_PER_SECOND, String.valueOf(SCALE_IAM_RATE)));
    tracker.reset();
    long start = System.nanoTime();
    apply(0, scaleN);
    double seconds = Bench.secondsUntil(() -> alive() && tracker.ready() >= scaleN, 500, 7200);
    seconds = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    var curve = tracker.secondsToReady();
    Bench.sleep(5000);
    double heap = run.operator.heapAfterGcMiB();
    double rss = run.operator.rssMiB();
    report
        .text(
            "## Scale: "
                + scaleN
                + " workloads (IAM rate "
                + f(SCALE_IAM_RATE)
                + "/s, `"
                + BenchOperator.SCALE_HEAP
                + "`)")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of(
                    "Time until all Ready",
                    f(seconds)
                        + " s (IAM floor "
                        + f(3 * scaleN / SCALE_IAM_RATE)
                        + " s; at this rate the API server and the 2 cores, not IAM, set the pace)"),
                List.of(
                    "Heap reachable after a full GC / RSS",
                    f(heap)
                        + " MiB / "
                        + f(rss)
                        + " MiB"
                        + (unrelated > 0 ? " (the unrelated objects still there)" : ""))));
    return readyCurve(scaleN, new Color(0xaf, 0x5b, 0x3b), curve);
  }
}
