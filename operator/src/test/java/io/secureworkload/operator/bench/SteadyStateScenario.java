package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;

import java.util.List;

/** Two sweeps and two resyncs with nothing changed: what they cost. */
final class SteadyStateScenario extends Scenario {

  SteadyStateScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    steadyState();
  }

  private void steadyState() {
    var calls = run.operator.awsCalls();
    long mark = apiWrites.mark();
    long reconciled = run.operator.reconciliations();
    long seconds = 2 * DEFAULT_SWEEP.toSeconds() + 5;
    Bench.sleep(seconds * 1000L);
    var spent = Bench.minus(run.operator.awsCalls(), calls);
    var writes = apiWrites.since(mark);
    long reconciliations = run.operator.reconciliations() - reconciled;
    long sweeps = spent.getOrDefault("GetAccountAuthorizationDetails", 0L);
    long awsWrites = Bench.sum(filter(spent, Scenario::isWrite));
    long reads = Bench.sum(spent) - awsWrites;
    double perWorkloadPerSweep = sweeps == 0 ? Double.NaN : reads / (double) sweeps / n;
    report
        .text(
            "## Steady state: "
                + seconds
                + " s with nothing changed (two AWS sweeps, two resyncs of every workload)")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of("Reconciliations (the resyncs)", String.valueOf(reconciliations)),
                List.of(
                    "Kubernetes writes by the operator", Bench.sum(writes) + " " + counts(writes)),
                List.of("AWS writes", String.valueOf(awsWrites)),
                List.of("AWS calls", Bench.sum(spent) + ": " + counts(spent)),
                List.of("Sweeps", String.valueOf(sweeps)),
                List.of("AWS reads per workload per sweep", "%.4f".formatted(perWorkloadPerSweep)),
                List.of(
                    "Model at 1,000 / 10,000 roles (pages × 1,000)",
                    "2 / 20 calls per sweep: ListRoles under the path and"
                        + " GetAccountAuthorizationDetails (roles), one page per 1,000 roles each"
                        + " (GetAccountAuthorizationDetails pages through every role of the account,"
                        + " ListRoles only the operator's); the paging is proven on a paginating"
                        + " fake (AwsIamRolesTest), moto never paginates")));
    run.targets.add(
        new BenchRun.Target(
            "Steady state: 0 Kubernetes writes (Lease aside), 0 AWS writes",
            Bench.sum(writes)
                + " Kubernetes, "
                + awsWrites
                + " AWS, over "
                + reconciliations
                + " reconciliations",
            Bench.sum(writes) == 0 && awsWrites == 0));
    run.targets.add(
        new BenchRun.Target(
            "Steady state: AWS reads ≤ 0.02 per workload per sweep",
            "%.4f".formatted(perWorkloadPerSweep),
            sweeps > 0 && perWorkloadPerSweep <= 0.02));
  }
}
