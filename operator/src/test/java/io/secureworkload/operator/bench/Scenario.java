package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.f;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * One scenario of {@code make bench}: what it does to the operator and what it writes on the page.
 * The runner ({@link OperatorBench}) runs them in a fixed order on one {@link BenchRun}; what they
 * share (the settings, how to start the operator, how to apply workloads and time repairs) is here.
 */
abstract class Scenario {

  static final double IAM_RATE = 10;
  static final double SCALE_IAM_RATE = 200;
  static final String RESYNC = "60s";
  static final Duration DEFAULT_SWEEP = OperatorSettings.DEFAULT_AWS_DRIFT_PERIOD;
  static final List<String> AWS_DRIFTS =
      List.of(
          "trust widened", "inline added", "managed detached", "boundary removed", "role deleted");
  static final String STAR =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  static final String WIDE_TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/x\"},\"Action\":"
          + "\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":{\"x:sub\":"
          + "\"system:serviceaccount:*\"}}}]}";

  final BenchRun run;
  final int n;
  final int scaleN;
  final int unrelated;
  final KubernetesClient client;
  final IamClient iam;
  final ApiWrites apiWrites;
  final BenchReport report;
  final ReadyTracker tracker;
  final String managedPolicyArn;

  Scenario(BenchRun run) {
    this.run = run;
    this.n = run.n;
    this.scaleN = run.scaleN;
    this.unrelated = run.unrelated;
    this.client = run.client;
    this.iam = run.iam;
    this.apiWrites = run.apiWrites;
    this.report = run.report;
    this.tracker = run.tracker;
    this.managedPolicyArn = run.managedPolicyArn;
  }

  abstract void run() throws Exception;

  BenchOperator start(Map<String, String> overrides) {
    return start(BenchOperator.HEAP, overrides);
  }

  BenchOperator start(String heap, Map<String, String> overrides) {
    var env = new HashMap<String, String>();
    env.put(OperatorSettings.CLUSTER_NAME, "bench");
    env.put(OperatorSettings.OIDC_ISSUER_URL, OperatorTestEnvironment.ISSUER);
    env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
    env.put(OperatorSettings.AWS_ENDPOINT_URL, run.aws.endpoint().toString());
    env.put(OperatorSettings.ROLE_QUOTA, String.valueOf(BenchRun.ROLE_QUOTA));
    env.put(OperatorSettings.METRICS_PORT, String.valueOf(run.metricsPort));
    env.put(OperatorSettings.IAM_REQUESTS_PER_SECOND, String.valueOf(IAM_RATE));
    env.put(OperatorSettings.RESYNC_PERIOD, RESYNC);
    env.put(OperatorSettings.AWS_API_CIDRS, OperatorTestEnvironment.AWS_API_CIDR);
    env.putAll(overrides);
    return BenchOperator.start(runnableJar(), heap, env, run.log, run.metricsPort);
  }

  static Path runnableJar() {
    try (var files = Files.list(TestPaths.repoRoot().resolve("operator/target"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-runnable.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No runnable jar: run make package"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void apply(int from, int to) {
    Bench.inParallel(from, to, i -> client.resource(Bench.workload(i, managedPolicyArn)).create());
  }

  boolean alive() {
    run.operator.requireAlive();
    return true;
  }

  static Map<String, Long> filter(Map<String, Long> counts, Predicate<String> keep) {
    var kept = new java.util.TreeMap<String, Long>();
    counts.forEach(
        (k, v) -> {
          if (keep.test(k)) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  static boolean isWrite(String operation) {
    return !(operation.startsWith("Get") || operation.startsWith("List"));
  }

  List<Integer> distinctWorkloads(int count, Random random) {
    var chosen = new ArrayList<Integer>();
    while (chosen.size() < count) {
      int i = random.nextInt(n);
      if (!chosen.contains(i)) {
        chosen.add(i);
      }
    }
    return chosen;
  }

  List<Double> awaitRepairs(List<Integer> chosen, Map<Integer, Long> started) {
    var latencies = new ArrayList<Double>();
    var done = new boolean[chosen.size()];
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (latencies.size() < started.size() && System.nanoTime() < deadline) {
      for (int t = 0; t < chosen.size(); t++) {
        if (started.containsKey(t)
            && !done[t]
            && repairedRole(roleName(chosen.get(t)), t % AWS_DRIFTS.size())) {
          done[t] = true;
          latencies.add((System.nanoTime() - started.get(t)) / 1e9);
        }
      }
      Bench.sleep(200);
    }
    if (latencies.size() < started.size()) {
      throw new IllegalStateException(
          (started.size() - latencies.size()) + " AWS drifts not repaired within 10 minutes");
    }
    return latencies;
  }

  boolean repairedRole(String role, int kind) {
    try {
      var actual = iam.getRole(r -> r.roleName(role)).role();
      return switch (kind) {
        case 0 -> !actual.assumeRolePolicyDocument().contains("StringLike");
        case 1 -> iam.listRolePolicies(r -> r.roleName(role)).policyNames().size() == 1;
        case 3 -> actual.permissionsBoundary() != null;
        default ->
            iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().size() == 1;
      };
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  double latencyRow(String what, String how, List<Double> latencies) {
    double p50 = Bench.percentile(latencies, 50);
    double p99 = Bench.percentile(latencies, 99);
    report
        .text("## " + what + " repair")
        .table(
            List.of("Trials", "p50", "p99", "max"),
            List.of(
                List.of(
                    how,
                    f(p50) + " s",
                    f(p99) + " s",
                    f(latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0))
                        + " s")));
    report.panel(
        what + " repair latency",
        "s",
        List.of(new BenchReport.Bar("p50", p50), new BenchReport.Bar("p99", p99)));
    return p99;
  }

  /** (k, seconds until the k-th workload was Ready), from the origin. */
  static BenchReport.Series readyCurve(int size, Color color, List<Double> secondsToReady) {
    var points = new ArrayList<double[]>();
    points.add(new double[] {0, 0});
    for (int k = 0; k < secondsToReady.size(); k++) {
      points.add(new double[] {k + 1, secondsToReady.get(k)});
    }
    return new BenchReport.Series("measured (the operator, N=" + size + ")", color, points);
  }

  String roleName(int i) {
    return io.secureworkload.operator.iam.RoleName.derive(
        "sw-", "bench", Bench.namespace(i), Bench.name(i));
  }
}
