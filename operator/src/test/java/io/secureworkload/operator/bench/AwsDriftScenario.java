package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import java.util.HashMap;
import java.util.Random;

/** Roles changed or deleted by hand, all at once: how soon the sweep has them repaired. */
final class AwsDriftScenario extends Scenario {

  private static final int AWS_TRIALS = 20;

  AwsDriftScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    awsDrift();
  }

  private void awsDrift() {
    var chosen = distinctWorkloads(AWS_TRIALS, new Random(7));
    var calls = run.operator.awsCalls();
    var started = new HashMap<Integer, Long>();
    for (int t = 0; t < AWS_TRIALS; t++) {
      var role = roleName(chosen.get(t));
      switch (t % AWS_DRIFTS.size()) {
        case 0 -> iam.updateAssumeRolePolicy(r -> r.roleName(role).policyDocument(WIDE_TRUST));
        case 1 ->
            iam.putRolePolicy(r -> r.roleName(role).policyName("by-hand").policyDocument(STAR));
        case 2 -> iam.detachRolePolicy(r -> r.roleName(role).policyArn(managedPolicyArn));
        case 3 -> iam.deleteRolePermissionsBoundary(r -> r.roleName(role));
        default -> {
          iam.detachRolePolicy(r -> r.roleName(role).policyArn(managedPolicyArn));
          iam.deleteRolePolicy(r -> r.roleName(role).policyName("secureworkload"));
          iam.deleteRole(r -> r.roleName(role));
        }
      }
      started.put(t, System.nanoTime());
    }
    var latencies = awaitRepairs(chosen, started);
    var spent = Bench.minus(run.operator.awsCalls(), calls);
    double p99 =
        latencyRow(
            "AWS drift",
            AWS_TRIALS
                + " roles at once, "
                + AWS_TRIALS / AWS_DRIFTS.size()
                + " of each: "
                + String.join(", ", AWS_DRIFTS)
                + "; default sweep (every "
                + DEFAULT_SWEEP.toSeconds()
                + " s); AWS calls: "
                + counts(spent),
            latencies);
    run.targets.add(
        new BenchRun.Target(
            "AWS drift repair p99 < 90 s with the default sweep ("
                + DEFAULT_SWEEP.toSeconds()
                + " s)",
            f(p99) + " s",
            p99 < 90));
  }
}
