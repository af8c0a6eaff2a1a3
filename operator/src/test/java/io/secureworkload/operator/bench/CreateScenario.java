package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import java.awt.Color;
import java.util.List;
import java.util.Map;

/** N workloads applied at once, against the IAM floor and a bare client at the same rate. */
final class CreateScenario extends Scenario {

  private static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  CreateScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    double bareClient = bareClientFloor();
    run.operator = start(Map.of());
    run.created = create(bareClient);
  }

  /**
   * The sanity line under the floor: a bare IAM client making exactly the calls a rollout of N
   * needs (CreateRole, PutRolePolicy, AttachRolePolicy each), paced at the operator's rate, on its
   * own path; its roles are deleted again, unpaced.
   */
  private double bareClientFloor() {
    var path = "/bench-floor/";
    long start = System.nanoTime();
    long call = 0;
    for (int i = 0; i < n; i++) {
      var role = "floor-" + i;
      pace(start, call++);
      iam.createRole(r -> r.roleName(role).path(path).assumeRolePolicyDocument(TRUST));
      pace(start, call++);
      iam.putRolePolicy(r -> r.roleName(role).policyName("secureworkload").policyDocument(STAR));
      pace(start, call++);
      iam.attachRolePolicy(r -> r.roleName(role).policyArn(managedPolicyArn));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (int i = 0; i < n; i++) {
      var role = "floor-" + i;
      iam.detachRolePolicy(r -> r.roleName(role).policyArn(managedPolicyArn));
      iam.deleteRolePolicy(r -> r.roleName(role).policyName("secureworkload"));
      iam.deleteRole(r -> r.roleName(role));
    }
    return seconds;
  }

  private static void pace(long start, long call) {
    long due = start + (long) (call / IAM_RATE * 1e9);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      Bench.sleep(wait / 1_000_000);
    }
  }

  /** Applies N at once and returns the curve of time until k are Ready. */
  private BenchReport.Series create(double bareClient) {
    var calls = run.operator.awsCalls();
    long mark = apiWrites.mark();
    tracker.reset();
    long start = System.nanoTime();
    apply(0, n);
    double seconds = Bench.secondsUntil(() -> alive() && tracker.ready() >= n, 250, 7200);
    seconds = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    var curve = tracker.secondsToReady();
    Bench.sleep(2000);
    var spent = Bench.minus(run.operator.awsCalls(), calls);
    var writes = apiWrites.since(mark);
    long necessary = 3L * n;
    double floor = necessary / IAM_RATE;
    long perWorkload =
        spent.getOrDefault("CreateRole", 0L)
            + spent.getOrDefault("PutRolePolicy", 0L)
            + spent.getOrDefault("AttachRolePolicy", 0L);
    long sweepCalls = Bench.sum(spent) - perWorkload;
    long children =
        Bench.sum(
            filter(
                writes,
                w ->
                    w.startsWith("patch ")
                        && !w.endsWith(" events")
                        && !w.endsWith(" secureworkloads")
                        && !w.endsWith("/status")));
    long status = writes.getOrDefault("patch secureworkloads/status", 0L);
    long finalizer = writes.getOrDefault("patch secureworkloads", 0L);
    long events = Bench.sum(filter(writes, w -> w.endsWith(" events")));
    long policyStatus = writes.getOrDefault("patch secureworkloadpolicies/status", 0L);
    long other = Bench.sum(writes) - children - status - finalizer - events - policyStatus;
    report
        .text("## Create: " + n + " workloads applied at once")
        .table(
            List.of("Measure", "Value"),
            List.of(
                List.of("Time until all Ready", f(seconds) + " s"),
                List.of(
                    "IAM floor: necessary calls / rate",
                    necessary + " / " + f(IAM_RATE) + "/s = " + f(floor) + " s"),
                List.of("Ratio to the floor", f(seconds / floor)),
                List.of(
                    "Sanity line: a bare client making the same "
                        + necessary
                        + " calls at that rate",
                    f(bareClient) + " s (" + f(bareClient / floor) + " × the floor)"),
                List.of(
                    "IAM calls per new workload",
                    f(perWorkload / (double) n)
                        + " (CreateRole, PutRolePolicy, AttachRolePolicy for its one managed policy)"),
                List.of(
                    "AWS calls in the window",
                    Bench.sum(spent)
                        + ": "
                        + counts(spent)
                        + " — of which "
                        + sweepCalls
                        + " by the AWS drift sweep and the start"),
                List.of(
                    "Kubernetes writes by the operator, per workload",
                    "children "
                        + f(children / (double) n)
                        + " (6 objects), status "
                        + f(status / (double) n)
                        + "; besides: finalizer "
                        + f(finalizer / (double) n)
                        + ", Events "
                        + f(events / (double) n)
                        + "; the SecureWorkloadPolicy's status (its workload counts) "
                        + policyStatus
                        + " in all; other "
                        + other),
                List.of("Kubernetes writes by the operator, all", counts(writes))));
    run.callsPerWorkload.add(
        new BenchReport.Bar("create (floor 3: Create, Put, Attach)", perWorkload / (double) n));
    run.targets.add(
        new BenchRun.Target(
            "Create " + n + ": time to all Ready ≤ 1.15 × the IAM floor",
            f(seconds / floor) + " × (" + f(seconds) + " s for a floor of " + f(floor) + " s)",
            seconds / floor <= 1.15));
    run.targets.add(
        new BenchRun.Target(
            "IAM calls per new workload = 2 (+1 per managed policy): 3 here",
            f(perWorkload / (double) n),
            perWorkload == 3L * n));
    run.targets.add(
        new BenchRun.Target(
            "Kubernetes writes per workload = its children + its status patches (Events and the"
                + " finalizer reported apart)",
            f(children / (double) n)
                + " children + "
                + f(status / (double) n)
                + " status; other "
                + other,
            children == 6L * n && status <= 2L * n && other == 0));
    return readyCurve(n, new Color(0x3b, 0x75, 0xaf), curve);
  }
}
