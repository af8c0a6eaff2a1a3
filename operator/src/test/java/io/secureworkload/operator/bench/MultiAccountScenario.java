package io.secureworkload.operator.bench;

import static io.secureworkload.operator.bench.BenchReport.counts;
import static io.secureworkload.operator.bench.BenchReport.f;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * N workloads in the operator's own account and N in a second one reached by AssumeRole, all
 * applied at once: the two accounts have a rate limit each and should proceed side by side, so the
 * floor is the slower account's, not the sum. Then the steady state of both accounts' sweeps.
 */
final class MultiAccountScenario extends Scenario {

  static final String HOME = MotoServer.ACCOUNT_ID;
  static final String OTHER = "222222222222";
  private static final String TARGET_ROLE =
      "arn:aws:iam::" + OTHER + ":role/secureworkload-operator-target";
  private static final String OPERATOR_NAMESPACE = "bench-operator";
  private static final String EXTERNAL_ID_SECRET = "account-" + OTHER;
  private static final int NAMESPACES_PER_ACCOUNT = Bench.NAMESPACES / 2;
  private static final List<String> NECESSARY_IAM =
      List.of("CreateRole", "PutRolePolicy", "AttachRolePolicy");
  private static final int CHILDREN = 6;

  /** The bench policy once more, for the second account's namespaces, naming that account. */
  private static final String OTHER_ACCOUNT_POLICY =
      Bench.POLICY
          .replace("name: bench", "name: bench-" + OTHER)
          .replace(
              "matchLabels: {%s: bench}".formatted(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL),
              "matchLabels: {%s: bench-%s}"
                  .formatted(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, OTHER))
          .replace(
              OperatorTestEnvironment.BOUNDARY,
              "\"arn:aws:iam::${account}:policy/secureworkload-boundary\"")
          .replace(
              "spec:\n",
              "spec:\n  account:\n    id: \"%s\"\n    roleArn: %s\n    externalIdSecretRef: {name: %s}\n"
                  .formatted(OTHER, TARGET_ROLE, EXTERNAL_ID_SECRET));

  MultiAccountScenario(BenchRun run) {
    super(run);
  }

  @Override
  void run() throws Exception {
    clearLeftovers();
    var managedInOther = prepareOtherAccount();
    if (run.operator != null) {
      run.operator.close();
    }
    run.operator = start(Map.of(OperatorSettings.OPERATOR_NAMESPACE, OPERATOR_NAMESPACE));
    var created = create(Map.of(HOME, managedPolicyArn, OTHER, managedInOther));
    steadyState(created);
  }

  /** The scale scenario leaves its workloads behind; they would share the home account's rate. */
  private void clearLeftovers() {
    if (client.resources(SecureWorkload.class).inAnyNamespace().list().getItems().isEmpty()) {
      return;
    }
    if (run.operator == null) {
      run.operator = start(Map.of());
    }
    client.resources(SecureWorkload.class).inAnyNamespace().delete();
    Bench.secondsUntil(
        () ->
            alive()
                && client
                    .resources(SecureWorkload.class)
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .isEmpty()
                && iam.listRoles(r -> r.pathPrefix(Bench.ROLE_PATH)).roles().isEmpty(),
        1000,
        3600);
  }

  /**
   * The second account as a platform team would set it up: the cluster's OIDC provider and the
   * managed policy made there, the external id in the operator's namespace, a policy mapping half
   * of the namespaces to it. The other half stays under the bench policy, which names no account.
   */
  private String prepareOtherAccount() {
    run.moto.provisionClusters(credentialsIn(OTHER));
    String managed;
    try (var iamOther = iamIn(OTHER)) {
      managed =
          iamOther
              .createPolicy(
                  r ->
                      r.policyName(BenchRun.MANAGED_POLICY_NAME)
                          .policyDocument(BenchRun.MANAGED_POLICY_DOCUMENT))
              .policy()
              .arn();
    }
    namespace(OPERATOR_NAMESPACE, null);
    client
        .secrets()
        .inNamespace(OPERATOR_NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(EXTERNAL_ID_SECRET)
                .endMetadata()
                .addToStringData("externalId", "bench-external-id")
                .build())
        .serverSideApply();
    var policy = Serialization.unmarshal(OTHER_ACCOUNT_POLICY, SecureWorkloadPolicy.class);
    if (policy.getSpec().getAccount() == null
        || !OTHER_ACCOUNT_POLICY.contains("bench-" + OTHER + "}")
        || OTHER_ACCOUNT_POLICY.contains(OperatorTestEnvironment.BOUNDARY)) {
      throw new IllegalStateException("The second account's policy did not take its changes");
    }
    client.resource(policy).serverSideApply();
    for (int i = 0; i < NAMESPACES_PER_ACCOUNT; i++) {
      namespace(namespace(HOME, i), "bench");
      namespace(namespace(OTHER, i), "bench-" + OTHER);
    }
    return managed;
  }

  private void namespace(String name, String guardrails) {
    var namespace = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    if (guardrails != null) {
      namespace
          .getMetadata()
          .setLabels(Map.of(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, guardrails));
    }
    client.namespaces().resource(namespace).serverSideApply();
  }

  private static String namespace(String account, int workload) {
    return namespacePrefix(account) + "%02d".formatted(workload % NAMESPACES_PER_ACCOUNT);
  }

  private static String namespacePrefix(String account) {
    return "bench-" + (account.equals(HOME) ? "home" : account) + "-";
  }

  private static SecureWorkload workload(String account, int i, String managed) {
    var workload =
        TestWorkloads.workload(
            Bench.name(i),
            Bench.FULL_SPEC
                .replace("NAME", Bench.name(i))
                .replace("MANAGED", managed)
                .replace(HOME, account));
    workload.getMetadata().setNamespace(namespace(account, i));
    return workload;
  }

  /** What one account did while the 2N were made, for the report and the steady state. */
  private record AccountRollout(
      String account, double secondsToAllReady, Map<String, Long> iamCalls) {

    long necessary() {
      return NECESSARY_IAM.stream().mapToLong(op -> iamCalls.getOrDefault(op, 0L)).sum();
    }
  }

  private List<AccountRollout> create(Map<String, String> managedByAccount) {
    var callsBefore = run.operator.awsCallsByAccount("Iam");
    long mark = apiWrites.mark();
    tracker.reset();
    long start = System.nanoTime();
    Bench.inParallel(
        0,
        2 * n,
        i -> {
          var account = i % 2 == 0 ? HOME : OTHER;
          client.resource(workload(account, i / 2, managedByAccount.get(account))).create();
        });
    double seconds = Bench.secondsUntil(() -> alive() && tracker.ready() >= 2 * n, 250, 7200);
    seconds = Math.max(seconds, (System.nanoTime() - start) / 1e9);
    Bench.sleep(2000);
    var callsAfter = run.operator.awsCallsByAccount("Iam");
    var writes = apiWrites.since(mark);
    var rollouts = new ArrayList<AccountRollout>();
    for (var account : List.of(HOME, OTHER)) {
      var ready =
          tracker.secondsToReady(namespace -> namespace.startsWith(namespacePrefix(account)));
      rollouts.add(
          new AccountRollout(
              account,
              ready.isEmpty() ? Double.NaN : ready.get(ready.size() - 1),
              Bench.minus(
                  callsAfter.getOrDefault(account, Map.of()),
                  callsBefore.getOrDefault(account, Map.of()))));
    }
    double floor = 3.0 * n / IAM_RATE;
    reportCreate(seconds, floor, rollouts, writes);
    return rollouts;
  }

  private void reportCreate(
      double seconds, double floor, List<AccountRollout> rollouts, Map<String, Long> writes) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("Time until all " + 2 * n + " Ready", f(seconds) + " s"));
    rows.add(
        List.of(
            "Per-account IAM floor: the larger of (necessary calls / rate) over the accounts",
            "max(" + 3 * n + ", " + 3 * n + ") / " + f(IAM_RATE) + "/s = " + f(floor) + " s"));
    rows.add(List.of("Ratio to the floor", f(seconds / floor)));
    for (var rollout : rollouts) {
      rows.add(
          List.of(
              "Account " + rollout.account() + ": time until its " + n + " Ready",
              f(rollout.secondsToAllReady())
                  + " s ("
                  + f(rollout.secondsToAllReady() / floor)
                  + " × its floor)"));
      rows.add(
          List.of(
              "Account " + rollout.account() + ": IAM calls per new workload",
              f(rollout.necessary() / (double) n)
                  + " necessary; all "
                  + f(Bench.sum(rollout.iamCalls()) / (double) n)
                  + ": "
                  + counts(rollout.iamCalls())));
    }
    var breakdown = writesPerWorkload(writes);
    rows.add(
        List.of(
            "Kubernetes writes by the operator, per new workload",
            "children "
                + f(breakdown.children() / (2.0 * n))
                + " ("
                + CHILDREN
                + " objects), status "
                + f(breakdown.status() / (2.0 * n))
                + ", finalizer "
                + f(breakdown.finalizer() / (2.0 * n))
                + ", Events "
                + f(breakdown.events() / (2.0 * n))
                + "; the SecureWorkloadPolicies' status "
                + breakdown.policyStatus()
                + " in all; other "
                + breakdown.other()));
    rows.add(List.of("Kubernetes writes by the operator, all", counts(writes)));
    report
        .text(
            "## Two accounts: "
                + n
                + " workloads in "
                + HOME
                + " and "
                + n
                + " in "
                + OTHER
                + " (AssumeRole), applied at once")
        .text(
            "Each account has its own IAM rate limit ("
                + f(IAM_RATE)
                + "/s), so the accounts should proceed side by side: the floor is the slower"
                + " account's, not the sum of both.")
        .table(List.of("Measure", "Value"), rows);
    run.targets.add(
        new BenchRun.Target(
            "Two accounts, "
                + n
                + " workloads each: time to all Ready ≤ 1.15 × the per-account IAM floor",
            f(seconds / floor) + " × (" + f(seconds) + " s for a floor of " + f(floor) + " s)",
            seconds / floor <= 1.15));
    run.targets.add(
        new BenchRun.Target(
            "Two accounts: IAM calls per new workload = 3 in each account",
            rollouts.stream()
                .map(r -> r.account() + ": " + f(r.necessary() / (double) n))
                .reduce((a, b) -> a + ", " + b)
                .orElse(""),
            rollouts.stream().allMatch(r -> r.necessary() == 3L * n)));
    run.targets.add(
        new BenchRun.Target(
            "Two accounts: Kubernetes writes per new workload = its children + 1 status patch + 1"
                + " finalizer + at most 1 Event",
            f(breakdown.children() / (2.0 * n))
                + " children + "
                + f(breakdown.status() / (2.0 * n))
                + " status + "
                + f(breakdown.finalizer() / (2.0 * n))
                + " finalizer + "
                + f(breakdown.events() / (2.0 * n))
                + " Events; other "
                + breakdown.other(),
            breakdown.children() == CHILDREN * 2L * n
                && breakdown.status() == 2L * n
                && breakdown.finalizer() == 2L * n
                && breakdown.events() <= 2L * n
                && breakdown.other() == 0));
    run.callsPerWorkload.add(
        new BenchReport.Bar(
            "two accounts (floor 3 in each)",
            rollouts.stream().mapToLong(AccountRollout::necessary).sum() / (2.0 * n)));
  }

  /** The operator's writes as the audit log tells them, sorted into what a workload needs. */
  private record Writes(
      long children, long status, long finalizer, long events, long policyStatus, long other) {}

  private static Writes writesPerWorkload(Map<String, Long> writes) {
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
    return new Writes(children, status, finalizer, events, policyStatus, other);
  }

  /**
   * Two sweeps of each account with nothing changed: the reads each account's sweep costs. It
   * starts once every account's sweep has read its roles successfully since the last workload was
   * Ready: moto fails GetAccountAuthorizationDetails now and then while another account writes
   * ("dictionary changed size during iteration" in its serializer), and a workload its sweep could
   * not vouch for is read again by its next resync, a cost of the rollout, not of the steady state.
   */
  private void steadyState(List<AccountRollout> rollouts) {
    var sweptBefore = run.operator.successfulCallsByAccount("GetAccountAuthorizationDetails");
    var settleStarted = System.nanoTime();
    while (rollouts.stream()
        .anyMatch(
            r ->
                run.operator
                        .successfulCallsByAccount("GetAccountAuthorizationDetails")
                        .getOrDefault(r.account(), 0L)
                    <= sweptBefore.getOrDefault(r.account(), 0L))) {
      if (System.nanoTime() - settleStarted > java.time.Duration.ofMinutes(5).toNanos()) {
        throw new IllegalStateException("No successful sweep of every account in 5 minutes");
      }
      Bench.sleep(1000);
    }
    var before = run.operator.awsCallsByAccount("Iam");
    var stsBefore = Bench.sum(run.operator.awsCallsByAccount("Sts").getOrDefault(OTHER, Map.of()));
    long seconds = 2 * DEFAULT_SWEEP.toSeconds() + 5;
    Bench.sleep(seconds * 1000L);
    var after = run.operator.awsCallsByAccount("Iam");
    long assumed =
        Bench.sum(run.operator.awsCallsByAccount("Sts").getOrDefault(OTHER, Map.of())) - stsBefore;
    var rows = new ArrayList<List<String>>();
    var perSweep = new TreeMap<String, Double>();
    long awsWrites = 0;
    for (var rollout : rollouts) {
      var spent =
          Bench.minus(
              after.getOrDefault(rollout.account(), Map.of()),
              before.getOrDefault(rollout.account(), Map.of()));
      long sweeps = spent.getOrDefault("GetAccountAuthorizationDetails", 0L);
      long writes = Bench.sum(filter(spent, Scenario::isWrite));
      long reads = Bench.sum(spent) - writes;
      awsWrites += writes;
      perSweep.put(rollout.account(), sweeps == 0 ? Double.NaN : reads / (double) sweeps / n);
      rows.add(
          List.of(
              "Account " + rollout.account(),
              sweeps
                  + " sweeps, "
                  + reads
                  + " reads ("
                  + "%.4f".formatted(perSweep.get(rollout.account()))
                  + " per workload per sweep), "
                  + writes
                  + " writes: "
                  + counts(spent)));
    }
    rows.add(
        List.of("STS calls for " + OTHER + " (credential refreshes)", String.valueOf(assumed)));
    report
        .text("## Two accounts, steady state: " + seconds + " s with nothing changed")
        .table(List.of("Account", "IAM calls"), rows);
    run.targets.add(
        new BenchRun.Target(
            "Two accounts, steady state: AWS reads ≤ 0.02 per workload per sweep in each account,"
                + " 0 AWS writes",
            perSweep.entrySet().stream()
                    .map(e -> e.getKey() + ": " + "%.4f".formatted(e.getValue()))
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("")
                + "; "
                + awsWrites
                + " writes",
            awsWrites == 0 && perSweep.values().stream().allMatch(r -> r <= 0.02)));
  }

  private IamClient iamIn(String account) {
    return IamClient.builder()
        .region(Region.AWS_GLOBAL)
        .endpointOverride(run.moto.endpoint())
        .credentialsProvider(credentialsIn(account))
        .build();
  }

  /** What moto's AssumeRole returns for a role in that account: calls made with it act there. */
  private AwsCredentialsProvider credentialsIn(String account) {
    try (var sts =
        StsClient.builder()
            .region(Region.of(MotoServer.REGION))
            .endpointOverride(run.moto.endpoint())
            .credentialsProvider(MotoServer.credentials())
            .build()) {
      var credentials =
          sts.assumeRole(
                  r ->
                      r.roleArn(TARGET_ROLE.replace(OTHER, account))
                          .roleSessionName("secureworkload-bench"))
              .credentials();
      return StaticCredentialsProvider.create(
          AwsSessionCredentials.create(
              credentials.accessKeyId(),
              credentials.secretAccessKey(),
              credentials.sessionToken()));
    }
  }
}
