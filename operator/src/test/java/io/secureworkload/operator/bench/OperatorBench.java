package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * {@code make bench}: the operator's runnable jar as its own process ({@link BenchOperator#HEAP})
 * against the local API server (with its audit log) and moto, driven through create, steady state,
 * drift, restart, unrelated objects, the list-roles sweep mode, delete and scale; writes
 * docs/benchmarks.md and docs/benchmarks.png. {@code BENCH_N} workloads (100), {@code
 * BENCH_SCALE_N} for the memory scenario at scale (5,000; 0 skips it), {@code BENCH_UNRELATED}
 * unrelated ServiceAccounts and as many NetworkPolicies (10,000; 0 skips it).
 */
public final class OperatorBench {

  private static final double IAM_RATE = 10;
  private static final double SCALE_IAM_RATE = 200;
  private static final String RESYNC = "60s";
  private static final Duration DEFAULT_SWEEP = OperatorSettings.DEFAULT_AWS_DRIFT_PERIOD;
  private static final int CHILD_TRIALS = 100;
  private static final int AWS_TRIALS = 20;
  private static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  private final int n;
  private final int scaleN;
  private final int unrelated;
  private final KubernetesClient client = Bench.client();
  private final MotoServer moto = MotoServer.start();
  private final IamClient iam;
  private final ApiWrites apiWrites = new ApiWrites(KubeApiServer.get().auditLog());
  private final BenchReport report = new BenchReport();
  private final Path log = TestPaths.buildDir().resolve("bench-operator.log");
  private final int metricsPort = MotoServer.freeLoopbackPort();
  private final String managedPolicyArn;
  private final ReadyTracker tracker;
  private final List<Target> targets = new ArrayList<>();
  private final List<BenchReport.Bar> callsPerWorkload = new ArrayList<>();
  private BenchOperator operator;

  /** One target of the benchmark issue: what it asks, what was measured, and whether it held. */
  private record Target(String what, String measured, boolean met) {}

  private OperatorBench(int n, int scaleN, int unrelated) {
    this.n = n;
    this.scaleN = scaleN;
    this.unrelated = unrelated;
    this.iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(MotoServer.credentials())
            .endpointOverride(moto.endpoint())
            .build();
    this.managedPolicyArn =
        iam.createPolicy(
                r ->
                    r.policyName("bench-reader")
                        .policyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}"))
            .policy()
            .arn();
    Bench.prepareCluster(client);
    this.tracker = new ReadyTracker(client);
  }

  public static void main(String[] args) throws Exception {
    var bench =
        new OperatorBench(
            setting("BENCH_N", 100),
            setting("BENCH_SCALE_N", 5000),
            setting("BENCH_UNRELATED", 10000));
    try {
      bench.run();
    } finally {
      bench.close();
    }
    System.exit(0);
  }

  private static int setting(String name, int fallback) {
    return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(fallback)));
  }

  private void run() throws Exception {
    Files.deleteIfExists(log);
    environment();
    int targetsSection = report.reserve();
    BenchReport.Series created = null;
    BenchReport.Series scaled = null;
    try {
      double bareClient = bareClientFloor();
      operator = start(Map.of());
      created = create(bareClient);
      steadyState();
      childDrift();
      awsDrift();
      double heapAtN = restart();
      histogram("n");
      unrelatedObjects(heapAtN);
      listRolesMode();
      operator.close();
      operator = start(Map.of());
      delete();
      scaled = scale();
      histogram("scale");
    } catch (RuntimeException e) {
      // What was measured before still goes on the page, with where and why it stopped.
      report.text("## Stopped early\n\n`" + e + "`");
      System.out.println("bench: stopped early: " + e);
    }
    finish(targetsSection, created, scaled);
  }

  /** With {@code BENCH_HISTOGRAM=1}, the operator's heap by class, into the build directory. */
  private void histogram(String when) throws IOException {
    if (System.getenv("BENCH_HISTOGRAM") != null) {
      Files.writeString(
          TestPaths.buildDir().resolve("bench-histogram-" + when + ".txt"), operator.histogram(40));
    }
  }

  private void finish(int targetsSection, BenchReport.Series created, BenchReport.Series scaled) {
    var curves = new ArrayList<BenchReport.Series>();
    if (created != null) {
      curves.add(created);
    }
    curves.add(
        new BenchReport.Series(
            "IAM floor at " + f(IAM_RATE) + " calls/s (3 necessary calls per workload)",
            Color.GRAY,
            List.of(new double[] {0, 0}, new double[] {n, 3 * n / IAM_RATE})));
    report.chart(
        new BenchReport.Chart(
            "Time until k of N=" + n + " workloads are Ready, all applied at once",
            "workloads Ready (k)",
            "seconds",
            curves));
    if (scaled != null) {
      report.chart(
          new BenchReport.Chart(
              "Time until k of N=" + scaleN + " are Ready (IAM rate " + f(SCALE_IAM_RATE) + "/s)",
              "workloads Ready (k)",
              "seconds",
              List.of(
                  scaled,
                  new BenchReport.Series(
                      "IAM floor at " + f(SCALE_IAM_RATE) + " calls/s",
                      Color.GRAY,
                      List.of(
                          new double[] {0, 0},
                          new double[] {scaleN, 3 * scaleN / SCALE_IAM_RATE})))));
    }
    report.panel("IAM calls per workload", "calls", callsPerWorkload);
    report.at(targetsSection, this::writeTargets);
    var docs = TestPaths.repoRoot().resolve("docs");
    report.write(docs.resolve("benchmarks.md"), docs.resolve("benchmarks.png"));
    System.out.println("bench: wrote docs/benchmarks.md and docs/benchmarks.png");
    targets.forEach(
        t ->
            System.out.println(
                "bench target "
                    + (t.met() ? "met" : "MISSED")
                    + ": "
                    + t.what()
                    + " — "
                    + t.measured()));
  }

  private void environment() throws Exception {
    var version = client.getKubernetesVersion();
    var cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown");
    report
        .text("# Benchmarks")
        .text(
            "Generated by `make bench` (`operator/src/test/java/io/secureworkload/operator/bench/`)"
                + " on "
                + LocalDate.now()
                + " with `BENCH_N="
                + n
                + "`. Rerun it to refresh this page (`BENCH_N`, `BENCH_SCALE_N`, `BENCH_UNRELATED`"
                + " set the sizes); figures move with the machine, the ratios less."
                + " ![benchmarks](benchmarks.png)")
        .table(
            List.of("Environment", ""),
            List.of(
                List.of("Workloads (N)", n + " across " + Bench.NAMESPACES + " namespaces"),
                List.of(
                    "Spec",
                    "full: 2 statements, 1 managed policy, 2 secrets, 1 SG, ingress, egress"),
                List.of(
                    "CPU",
                    Runtime.getRuntime().availableProcessors()
                        + " cores, "
                        + cpu
                        + " (shared with the API server, etcd, moto and this driver)"),
                List.of(
                    "Operator",
                    "runnable jar, own JVM, `"
                        + BenchOperator.HEAP
                        + "`, Java "
                        + System.getProperty("java.version")),
                List.of(
                    "Kubernetes",
                    "kube-apiserver " + version.getGitVersion() + " + etcd (no controllers)"),
                List.of("AWS", "moto (unthrottled), IAM rate limit " + f(IAM_RATE) + "/s"),
                List.of(
                    "Settings",
                    "defaults (AWS drift sweep every "
                        + DEFAULT_SWEEP.toSeconds()
                        + " s, mode authorization-details) except SW_RESYNC_PERIOD="
                        + RESYNC
                        + " (1 h by default), so that the steady state sees two resyncs")));
  }

  private BenchOperator start(Map<String, String> overrides) {
    return start(BenchOperator.HEAP, overrides);
  }

  private BenchOperator start(String heap, Map<String, String> overrides) {
    var env = new HashMap<String, String>();
    env.put(OperatorSettings.CLUSTER_NAME, "bench");
    env.put(OperatorSettings.OIDC_ISSUER_URL, OperatorTestEnvironment.ISSUER);
    env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
    env.put(OperatorSettings.AWS_ENDPOINT_URL, moto.endpoint().toString());
    env.put(OperatorSettings.METRICS_PORT, String.valueOf(metricsPort));
    env.put(OperatorSettings.IAM_REQUESTS_PER_SECOND, String.valueOf(IAM_RATE));
    env.put(OperatorSettings.RESYNC_PERIOD, RESYNC);
    env.put(OperatorSettings.AWS_API_CIDRS, OperatorTestEnvironment.AWS_API_CIDR);
    env.putAll(overrides);
    return BenchOperator.start(runnableJar(), heap, env, log, metricsPort);
  }

  private static Path runnableJar() {
    try (var files = Files.list(TestPaths.repoRoot().resolve("operator/target"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-runnable.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No runnable jar: run make package"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    var calls = operator.awsCalls();
    long mark = apiWrites.mark();
    tracker.reset();
    long start = System.nanoTime();
    apply(0, n);
    double seconds = Bench.secondsUntil(() -> alive() && tracker.ready() >= n, 250, 7200);
    seconds = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    var curve = tracker.secondsToReady();
    Bench.sleep(2000);
    var spent = Bench.minus(operator.awsCalls(), calls);
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
    callsPerWorkload.add(
        new BenchReport.Bar("create (floor 3: Create, Put, Attach)", perWorkload / (double) n));
    targets.add(
        new Target(
            "Create " + n + ": time to all Ready ≤ 1.15 × the IAM floor",
            f(seconds / floor) + " × (" + f(seconds) + " s for a floor of " + f(floor) + " s)",
            seconds / floor <= 1.15));
    targets.add(
        new Target(
            "IAM calls per new workload = 2 (+1 per managed policy): 3 here",
            f(perWorkload / (double) n),
            perWorkload == 3L * n));
    targets.add(
        new Target(
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

  private void apply(int from, int to) {
    Bench.inParallel(from, to, i -> client.resource(Bench.workload(i, managedPolicyArn)).create());
  }

  private boolean alive() {
    operator.requireAlive();
    return true;
  }

  private static Map<String, Long> filter(Map<String, Long> counts, Predicate<String> keep) {
    var kept = new java.util.TreeMap<String, Long>();
    counts.forEach(
        (k, v) -> {
          if (keep.test(k)) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  private static boolean isWrite(String operation) {
    return !(operation.startsWith("Get") || operation.startsWith("List"));
  }

  private void steadyState() {
    var calls = operator.awsCalls();
    long mark = apiWrites.mark();
    long reconciled = operator.reconciliations();
    long seconds = 2 * DEFAULT_SWEEP.toSeconds() + 5;
    Bench.sleep(seconds * 1000L);
    var spent = Bench.minus(operator.awsCalls(), calls);
    var writes = apiWrites.since(mark);
    long reconciliations = operator.reconciliations() - reconciled;
    long sweeps = spent.getOrDefault("GetAccountAuthorizationDetails", 0L);
    long awsWrites = Bench.sum(filter(spent, OperatorBench::isWrite));
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
    targets.add(
        new Target(
            "Steady state: 0 Kubernetes writes (Lease aside), 0 AWS writes",
            Bench.sum(writes)
                + " Kubernetes, "
                + awsWrites
                + " AWS, over "
                + reconciliations
                + " reconciliations",
            Bench.sum(writes) == 0 && awsWrites == 0));
    targets.add(
        new Target(
            "Steady state: AWS reads ≤ 0.02 per workload per sweep",
            "%.4f".formatted(perWorkloadPerSweep),
            sweeps > 0 && perWorkloadPerSweep <= 0.02));
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
    targets.add(new Target("Child drift repair p99 < 1 s", f(p99) + " s", p99 < 1));
  }

  private static final List<String> AWS_DRIFTS =
      List.of(
          "trust widened", "inline added", "managed detached", "boundary removed", "role deleted");

  private void awsDrift() {
    var chosen = distinctWorkloads(AWS_TRIALS, new Random(7));
    var calls = operator.awsCalls();
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
    var spent = Bench.minus(operator.awsCalls(), calls);
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
    targets.add(
        new Target(
            "AWS drift repair p99 < 90 s with the default sweep ("
                + DEFAULT_SWEEP.toSeconds()
                + " s)",
            f(p99) + " s",
            p99 < 90));
  }

  private List<Integer> distinctWorkloads(int count, Random random) {
    var chosen = new ArrayList<Integer>();
    while (chosen.size() < count) {
      int i = random.nextInt(n);
      if (!chosen.contains(i)) {
        chosen.add(i);
      }
    }
    return chosen;
  }

  private List<Double> awaitRepairs(List<Integer> chosen, Map<Integer, Long> started) {
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

  private boolean repairedRole(String role, int kind) {
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

  private double latencyRow(String what, String how, List<Double> latencies) {
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

  /** Restarts the operator with N Ready workloads; returns the heap after a full GC after it. */
  private double restart() {
    double heapBefore = operator.heapAfterGcMiB();
    double rssBefore = operator.rssMiB();
    operator.close();
    long mark = apiWrites.mark();
    long start = System.nanoTime();
    operator = start(Map.of());
    double ready = (System.nanoTime() - start) / 1e9;
    Bench.secondsUntil(() -> operator.reconciliations() >= n, 100, 1800);
    double rechecked = (System.nanoTime() - start) / 1e9;
    Bench.sleep(2000);
    var spent = operator.awsCalls();
    var writes = apiWrites.since(mark);
    long awsWrites = Bench.sum(filter(spent, OperatorBench::isWrite));
    long reads = Bench.sum(spent) - awsWrites;
    double heap = operator.heapAfterGcMiB();
    double rss = operator.rssMiB();
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
    targets.add(
        new Target(
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
    targets.add(
        new Target(
            "Heap ≤ 128 MiB at 1,000 workloads (here " + n + ")",
            f(Math.max(heap, heapBefore)) + " MiB reachable after a full GC",
            Math.max(heap, heapBefore) <= 128));
    return heap;
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
    var reconciledBefore = operator.reconciliations();
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
    double heap = operator.heapAfterGcMiB();
    double rss = operator.rssMiB();
    long reconciled = operator.reconciliations() - reconciledBefore;
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
    targets.add(
        new Target(
            "Heap < 10 % more with "
                + unrelated
                + " unrelated ServiceAccounts and NetworkPolicies each",
            "%+.1f %%".formatted(100 * growth) + " (" + f(heapBefore) + " → " + f(heap) + " MiB)",
            growth < 0.10));
  }

  /**
   * The narrower sweep mode, for platforms that refuse the account-wide
   * GetAccountAuthorizationDetails: what a restart and a sweep cost in it. The rate is raised for
   * the restart (its reads, not its time, are the figure) and the sweep shortened.
   */
  private void listRolesMode() {
    operator.close();
    long start = System.nanoTime();
    operator =
        start(
            Map.of(
                OperatorSettings.AWS_DRIFT_SWEEP_MODE, "list-roles",
                OperatorSettings.AWS_DRIFT_PERIOD, "15s",
                OperatorSettings.IAM_REQUESTS_PER_SECOND, String.valueOf(SCALE_IAM_RATE)));
    Bench.secondsUntil(() -> operator.reconciliations() >= n, 100, 1800);
    double rechecked = (System.nanoTime() - start) / 1e9;
    Bench.sleep(3000);
    var restartCalls = operator.awsCalls();
    Bench.sleep(32_000);
    var sweepCalls = Bench.minus(operator.awsCalls(), restartCalls);
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

  private void delete() {
    var calls = operator.awsCalls();
    long mark = apiWrites.mark();
    client.resources(SecureWorkload.class).inAnyNamespace().delete();
    double seconds =
        Bench.secondsUntil(
            () -> iam.listRoles(r -> r.pathPrefix(Bench.ROLE_PATH)).roles().isEmpty(), 250, 3600);
    Bench.secondsUntil(
        () -> client.resources(SecureWorkload.class).inAnyNamespace().list().getItems().isEmpty(),
        250,
        600);
    var spent = Bench.minus(operator.awsCalls(), calls);
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
    callsPerWorkload.add(
        new BenchReport.Bar(
            "delete (floor 3: Detach, DeleteRolePolicy, Delete)", Bench.sum(spent) / (double) n));
  }

  /** {@code BENCH_SCALE_N} workloads at a raised IAM rate: memory at scale, and its curve. */
  private BenchReport.Series scale() {
    if (scaleN == 0) {
      return null;
    }
    operator.close();
    operator =
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
    double heap = operator.heapAfterGcMiB();
    double rss = operator.rssMiB();
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

  /** (k, seconds until the k-th workload was Ready), from the origin. */
  private static BenchReport.Series readyCurve(int size, Color color, List<Double> secondsToReady) {
    var points = new ArrayList<double[]>();
    points.add(new double[] {0, 0});
    for (int k = 0; k < secondsToReady.size(); k++) {
      points.add(new double[] {k + 1, secondsToReady.get(k)});
    }
    return new BenchReport.Series("measured (the operator, N=" + size + ")", color, points);
  }

  private void writeTargets(BenchReport section) {
    section
        .text("## Targets")
        .table(
            List.of("Target", "Measured", "Met"),
            targets.stream()
                .map(t -> List.of(t.what(), t.measured(), t.met() ? "yes" : "**no**"))
                .toList());
  }

  private String roleName(int i) {
    return io.secureworkload.operator.iam.RoleName.derive(
        "sw-", "bench", Bench.namespace(i), Bench.name(i));
  }

  private void close() {
    if (operator != null) {
      operator.close();
    }
    tracker.close();
    moto.stop();
    client.close();
  }

  private static final String STAR =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  private static final String WIDE_TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/x\"},\"Action\":"
          + "\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":{\"x:sub\":"
          + "\"system:serviceaccount:*\"}}}]}";
}
