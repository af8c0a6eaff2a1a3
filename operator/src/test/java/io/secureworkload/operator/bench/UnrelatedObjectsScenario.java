package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.List;

/** Objects the operator does not own, beside its workloads: what its heap holds of them. */
final class UnrelatedObjectsScenario extends Scenario {

  UnrelatedObjectsScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    unrelatedObjects(run.heapAtN);
  }

  /**
   * As many unrelated ServiceAccounts and NetworkPolicies as {@code BENCH_UNRELATED}, in the
   * workloads' namespaces, without the operator's label: its label-filtered informers must not hold
   * them.
   */
  private void unrelatedObjects(double heapBefore) throws Exception {
    if (unrelated == 0) {
      return;
    }
    var reconciledBefore = run.operator.reconciliations();
    long mark = apiWrites.mark();
    long start = System.nanoTime();
    Bench.inParallel(
        0,
        unrelated,
        i -> {
          var namespace = Bench.namespace(i);
          client
              .serviceAccounts()
              .resource(
                  new ServiceAccountBuilder()
                      .withNewMetadata()
                      .withName("unrelated-" + i)
                      .withNamespace(namespace)
                      .addToLabels("app", "unrelated-" + i)
                      .endMetadata()
                      .build())
              .create();
          client
              .network()
              .v1()
              .networkPolicies()
              .resource(
                  new NetworkPolicyBuilder()
                      .withNewMetadata()
                      .withName("unrelated-" + i)
                      .withNamespace(namespace)
                      .endMetadata()
                      .withNewSpec()
                      .withNewPodSelector()
                      .addToMatchLabels("app", "unrelated-" + i)
                      .endPodSelector()
                      .withPolicyTypes("Ingress")
                      .endSpec()
                      .build())
              .create();
        });
    Bench.sleep(5000);
    double heap = run.operator.heapAfterGcMiB();
    double rss = run.operator.rssMiB();
    long reconciled = run.operator.reconciliations() - reconciledBefore;
    double seconds = (System.nanoTime() - start) / 1e9;
    var writes = apiWrites.since(mark);
    double growth = (heap - heapBefore) / heapBefore;
    report.table(
        List.of("When", "Heap reachable after a full GC", "RSS"),
        List.of(
            List.of(
                n
                    + " workloads and "
                    + unrelated
                    + " unrelated ServiceAccounts + "
                    + unrelated
                    + " NetworkPolicies (reconciliations in the "
                    + f(seconds)
                    + " s it took, the "
                    + RESYNC
                    + " resync of every workload included: "
                    + reconciled
                    + "; operator writes: "
                    + Bench.sum(writes)
                    + ")",
                f(heap) + " MiB (" + "%+.1f".formatted(100 * growth) + " %)",
                f(rss) + " MiB")));
    run.targets.add(
        new BenchRun.Target(
            "Heap < 10 % more with "
                + unrelated
                + " unrelated ServiceAccounts and NetworkPolicies each",
            "%+.1f %%".formatted(100 * growth) + " (" + f(heapBefore) + " → " + f(heap) + " MiB)",
            growth < 0.10));
  }
}
