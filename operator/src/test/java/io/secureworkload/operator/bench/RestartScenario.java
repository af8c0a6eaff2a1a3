package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import java.util.List;
import java.util.Map;

/** A restart with N Ready workloads, and the heap before and after it. */
final class RestartScenario extends Scenario {

  RestartScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    run.heapAtN = restart();
  }

  /** Restarts the operator with N Ready workloads; returns the heap after a full GC after it. */
  private double restart() {
    double heapBefore = run.operator.heapAfterGcMiB();
    double rssBefore = run.operator.rssMiB();
    run.operator.close();
    long mark = apiWrites.mark();
    long start = System.nanoTime();
    run.operator = start(Map.of());
    double ready = (System.nanoTime() - start) / 1e9;
    Bench.secondsUntil(() -> run.operator.reconciliations() >= n, 100, 1800);
    double rechecked = (System.nanoTime() - start) / 1e9;
    Bench.sleep(2000);
    var spent = run.operator.awsCalls();
    var writes = apiWrites.since(mark);
    long awsWrites = Bench.sum(filter(spent, Scenario::isWrite));
    long reads = Bench.sum(spent) - awsWrites;
    double heap = run.operator.heapAfterGcMiB();
    double rss = run.operator.rssMiB();
    report
        .text("## Restart with " + n + " Ready workloads")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of("Time until /readyz (informers synced)", f(ready) + " s"),
                List.of("Time until every workload re-checked", f(rechecked) + " s"),
                List.of(
                    "AWS calls",
                    Bench.sum(spent)
                        + " ("
                        + "%.3f".formatted(reads / (double) n)
                        + " reads per workload): "
                        + counts(spent)),
                List.of(
                    "Kubernetes writes by the operator",
                    Bench.sum(writes) + " " + counts(writes))));
    report
        .text("## Memory")
        .table(
            List.of("When", "Heap reachable after a full GC", "RSS"),
            List.of(
                List.of(
                    n + " workloads, after the drift scenarios",
                    f(heapBefore) + " MiB",
                    f(rssBefore) + " MiB"),
                List.of(n + " workloads, after a restart", f(heap) + " MiB", f(rss) + " MiB")));
    run.targets.add(
        new BenchRun.Target(
            "Restart with " + n + " Ready workloads: no writes, AWS reads ≤ 1 per 50 workloads",
            Bench.sum(writes)
                + " Kubernetes writes, "
                + awsWrites
                + " AWS writes, "
                + reads
                + " reads ("
                + "%.3f".formatted(reads / (double) n)
                + " per workload)",
            Bench.sum(writes) == 0 && awsWrites == 0 && reads <= n / 50.0));
    run.targets.add(
        new BenchRun.Target(
            "Heap ≤ 128 MiB at 1,000 workloads (here " + n + ")",
            f(Math.max(heap, heapBefore)) + " MiB reachable after a full GC",
            Math.max(heap, heapBefore) <= 128));
    return heap;
  }
}
