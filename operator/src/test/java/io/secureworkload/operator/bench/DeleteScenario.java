package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import io.secureworkload.operator.api.SecureWorkload;
import java.util.List;
import java.util.Map;

/** Every workload deleted at once, the operator back on its defaults. */
final class DeleteScenario extends Scenario {

  DeleteScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    run.operator.close();
    run.operator = start(Map.of());
    delete();
  }

  private void delete() {
    var calls = run.operator.awsCalls();
    long mark = apiWrites.mark();
    client.resources(SecureWorkload.class).inAnyNamespace().delete();
    double seconds =
        Bench.secondsUntil(
            () -> iam.listRoles(r -> r.pathPrefix(Bench.ROLE_PATH)).roles().isEmpty(), 250, 3600);
    Bench.secondsUntil(
        () -> client.resources(SecureWorkload.class).inAnyNamespace().list().getItems().isEmpty(),
        250,
        600);
    var spent = Bench.minus(run.operator.awsCalls(), calls);
    var writes = apiWrites.since(mark);
    double floor = 3.0 * n / IAM_RATE;
    report
        .text("## Delete: " + n + " workloads at once")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of(
                    "Time until every role is gone",
                    f(seconds)
                        + " s (floor: 3 calls per workload at the rate = "
                        + f(floor)
                        + " s)"),
                List.of(
                    "AWS calls",
                    Bench.sum(spent)
                        + " ("
                        + f(Bench.sum(spent) / (double) n)
                        + " per workload): "
                        + counts(spent)),
                List.of(
                    "Kubernetes writes by the operator",
                    Bench.sum(writes) + " " + counts(writes))));
    run.callsPerWorkload.add(
        new BenchReport.Bar(
            "delete (floor 3: Detach, DeleteRolePolicy, Delete)", Bench.sum(spent) / (double) n));
  }
}
