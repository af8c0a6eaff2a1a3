package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import io.secureworkload.operator.config.OperatorSettings;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The list-roles sweep mode: a restart, a steady state and a drift in it. */
final class ListRolesModeScenario extends Scenario {

  ListRolesModeScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    listRolesMode();
  }

  /**
   * The narrower sweep mode, for platforms that refuse the account-wide
   * GetAccountAuthorizationDetails: what a restart and a sweep cost in it. The rate is raised for
   * the restart (its reads, not its time, are the figure) and the sweep shortened.
   */
  private void listRolesMode() {
    run.operator.close();
    long start = System.nanoTime();
    run.operator =
        start(
            Map.of(
                OperatorSettings.AWS_DRIFT_SWEEP_MODE, "list-roles",
                OperatorSettings.AWS_DRIFT_PERIOD, "15s",
                OperatorSettings.IAM_REQUESTS_PER_SECOND, String.valueOf(SCALE_IAM_RATE)));
    Bench.secondsUntil(() -> run.operator.reconciliations() >= n, 100, 1800);
    double rechecked = (System.nanoTime() - start) / 1e9;
    Bench.sleep(3000);
    var restartCalls = run.operator.awsCalls();
    Bench.sleep(32_000);
    var sweepCalls = Bench.minus(run.operator.awsCalls(), restartCalls);
    long sweeps = sweepCalls.getOrDefault("ListRoles", 0L);
    // A trust policy widened by hand is what this mode still sees within a sweep.
    var chosen = distinctWorkloads(1, new Random(11));
    iam.updateAssumeRolePolicy(r -> r.roleName(roleName(chosen.get(0))).policyDocument(WIDE_TRUST));
    var repair = awaitRepairs(chosen, Map.of(0, System.nanoTime()));
    report
        .text("## The list-roles sweep mode (no GetAccountAuthorizationDetails)")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of(
                    "Restart with "
                        + n
                        + " Ready workloads (IAM rate raised to "
                        + f(SCALE_IAM_RATE)
                        + "/s for it)",
                    f(rechecked)
                        + " s until every workload re-checked; "
                        + Bench.sum(restartCalls)
                        + " AWS calls ("
                        + f(Bench.sum(restartCalls) / (double) n)
                        + " per workload: each role read once, as the sweep does not see its"
                        + " policies): "
                        + counts(restartCalls)),
                List.of(
                    "Steady state, sweep every 15 s",
                    Bench.sum(sweepCalls)
                        + " calls in "
                        + sweeps
                        + " sweeps ("
                        + (sweeps == 0
                            ? "n/a"
                            : "%.4f".formatted(Bench.sum(sweepCalls) / (double) sweeps / n))
                        + " per workload per sweep): "
                        + counts(sweepCalls)),
                List.of("Trust policy widened by hand: repaired after", f(repair.get(0)) + " s"),
                List.of(
                    "Not seen by this mode until the resync",
                    "inline or managed policies, tags and the boundary changed by hand")));
  }
}
