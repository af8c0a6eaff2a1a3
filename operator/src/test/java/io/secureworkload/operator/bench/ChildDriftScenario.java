package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import java.util.ArrayList;
import java.util.Random;

/** Children changed by hand, one at a time: how soon they are repaired. */
final class ChildDriftScenario extends Scenario {

  private static final int CHILD_TRIALS = 100;

  ChildDriftScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    childDrift();
  }

  private void childDrift() {
    var random = new Random(42);
    var latencies = new ArrayList<Double>();
    for (int trial = 0; trial < CHILD_TRIALS; trial++) {
      int i = random.nextInt(n);
      if (trial % 2 == 0) {
        client.resource(Bench.defaultDeny(client, i)).delete();
        latencies.add(Bench.secondsUntil(() -> Bench.defaultDeny(client, i) != null, 10, 60));
      } else {
        var account = Bench.serviceAccount(client, i);
        var arn = account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn");
        account.getMetadata().getAnnotations().put("eks.amazonaws.com/role-arn", "arn:by-hand");
        client.resource(account).update();
        latencies.add(
            Bench.secondsUntil(
                () ->
                    arn.equals(
                        Bench.serviceAccount(client, i)
                            .getMetadata()
                            .getAnnotations()
                            .get("eks.amazonaws.com/role-arn")),
                10,
                60));
      }
    }
    double p99 =
        latencyRow(
            "Child drift",
            CHILD_TRIALS
                + " trials: NetworkPolicy deleted, ServiceAccount annotation edited (alternating),"
                + " one at a time, polled every 10 ms",
            latencies);
    run.targets.add(new BenchRun.Target("Child drift repair p99 < 1 s", f(p99) + " s", p99 < 1));
  }
}
