package io.secureworkload.operator.faults;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestRoles;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import io.secureworkload.operator.testsupport.faults.InstalledRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * People change a workload's role and children by hand while the operator is in the middle of
 * reconciling it. The operator runs in this JVM; its AWS calls go through a fault proxy in front of
 * moto, which holds one of its IAM writes back so that the reconciliation stays in flight; the
 * hands go to moto and the API server directly. The AWS drift sweep runs every {@link
 * #DRIFT_PERIOD}. Sizes: {@link FaultSizes} (these tests have one size).
 */
class ConflictingHandsIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration DRIFT_PERIOD = Duration.ofSeconds(2);

  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(PROXY.endpoint(), MOTO.endpoint(), DRIFT_PERIOD);

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** How long the operator's IAM write is held back: the window the hands act in. */
  private static final Duration HELD = Duration.ofSeconds(2);

  /** Reconciliations allowed in the quiet window after convergence: an error loop makes dozens. */
  private static final long QUIET_RECONCILIATIONS = 2;

  private static final String NAME = "hands";
  private static final String HAND_POLICY = "hand-attached";

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  /**
   * Invariant: a spec change and hands on the role and its children at the same time end in the
   * spec, nothing lost and no loop. A Ready workload's spec is changed (a new inline statement),
   * and while the reconciliation writes it (its PutRolePolicy held back {@link #HELD} by the
   * proxy), a person puts another inline policy on the role, attaches a managed policy to it and
   * edits its default-deny NetworkPolicy. Then: the role's inline policy is the new spec's (neither
   * the old spec's nor the hand's), the managed policy is detached, the NetworkPolicy is as the
   * operator wrote it, the workload is Ready for the new generation, and over the following {@code
   * 3 × DRIFT_PERIOD} at most {@value #QUIET_RECONCILIATIONS} reconciliations start.
   */
  @Test
  void handsOnTheRoleAndANetworkPolicyDuringAReconciliationEndInTheSpec()
      throws InterruptedException {
    var roleName = readyWorkload();
    var handPolicyArn = handPolicy();
    var networkPolicyName = NAME + "-default-deny";
    var written = networkPolicy(networkPolicyName).getSpec();

    var held = holdNextWrite("PutRolePolicy");
    long generation = changeSpec();
    awaitHeld(held);
    long started = System.nanoTime();
    ENV.iamClient()
        .putRolePolicy(
            r ->
                r.roleName(roleName)
                    .policyName(DesiredRole.INLINE_POLICY_NAME)
                    .policyDocument(handDocument()));
    ENV.iamClient().attachRolePolicy(r -> r.roleName(roleName).policyArn(handPolicyArn));
    operator
        .getKubernetesClient()
        .network()
        .networkPolicies()
        .inNamespace(operator.getNamespace())
        .withName(networkPolicyName)
        .edit(
            np -> {
              np.getSpec().setPolicyTypes(new ArrayList<>(List.of("Ingress")));
              return np;
            });
    long handsMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    // Reported, not asserted: a machine busy enough to take longer only makes the hands land later.
    boolean inFlight = PROXY.calls().forwarded("PutRolePolicy") == forwardedBefore;

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertRoleIsTheSpecs(roleName, generation);
              assertThat(networkPolicy(networkPolicyName).getSpec()).isEqualTo(written);
              assertReadyFor(generation);
            });
    long convergedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    long quiet = quietReconciliations();
    System.out.printf(
        "[faults %s] conflicting hands (inline policy, managed policy, NetworkPolicy during a"
            + " %d ms PutRolePolicy): hands done in %d ms, before the held write reached moto: %s;"
            + " converged to the spec %d ms after the hands began; %d reconciliations in the %d s"
            + " after; IAM writes in all %d%n",
        FaultSizes.label(),
        HELD.toMillis(),
        handsMillis,
        inFlight,
        convergedMillis,
        quiet,
        DRIFT_PERIOD.multipliedBy(3).toSeconds(),
        ENV.writes());
    assertThat(quiet)
        .as("reconciliations after convergence")
        .isLessThanOrEqualTo(QUIET_RECONCILIATIONS);
  }

  /**
   * Invariant: hands on the role alone are found by the AWS drift sweep, even when they land right
   * after the operator's own write. As above, without the NetworkPolicy edit (so no Kubernetes
   * event follows the hands): a managed policy is attached while the PutRolePolicy is held, and
   * another inline policy is put the moment the operator's write has reached moto. Within {@code 10
   * × DRIFT_PERIOD} the role is the new spec's again.
   */
  @Test
  void handsOnTheRoleAloneDuringAReconciliationAreFoundByTheAwsDriftSweep() {
    var roleName = readyWorkload();
    var handPolicyArn = handPolicy();

    var held = holdNextWrite("PutRolePolicy");
    long generation = changeSpec();
    awaitHeld(held);
    ENV.iamClient().attachRolePolicy(r -> r.roleName(roleName).policyArn(handPolicyArn));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> PROXY.calls().forwarded("PutRolePolicy") > forwardedBefore);
    ENV.iamClient()
        .putRolePolicy(
            r ->
                r.roleName(roleName)
                    .policyName(DesiredRole.INLINE_POLICY_NAME)
                    .policyDocument(handDocument()));
    long started = System.nanoTime();

    await()
        .atMost(DRIFT_PERIOD.multipliedBy(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertRoleIsTheSpecs(roleName, generation));
    System.out.printf(
        "[faults %s] conflicting hands on the role alone: the role was the spec's again %d ms"
            + " after the last hand (drift sweep every %d s)%n",
        FaultSizes.label(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        DRIFT_PERIOD.toSeconds());
  }

  private long forwardedBefore;

  /** The workload, Ready with its first spec; the name of its role. */
  private String readyWorkload() {
    operator.create(workload(NAME, spec("sqs:SendMessage")));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> WorkloadAssertions.isReady(operator.get(SecureWorkload.class, NAME)));
    return ENV.roleName(operator.getNamespace(), NAME);
  }

  private static String spec(String... actions) {
    return """
        selector: {matchLabels: {app: %s}}
        iam:
          statements:
          - actions: [%s]
            resources: ["arn:aws:sqs:us-west-2:123456789012:%s"]
        network:
          defaultDeny: {ingress: true, egress: true}
        """
        .formatted(NAME, String.join(", ", actions), NAME);
  }

  /** A second statement's worth of change; the generation it makes. */
  private long changeSpec() {
    var changed = workload(NAME, spec("sqs:SendMessage", "sqs:ReceiveMessage")).getSpec();
    return operator
        .getKubernetesClient()
        .resources(SecureWorkload.class)
        .inNamespace(operator.getNamespace())
        .withName(NAME)
        .edit(
            w -> {
              w.setSpec(changed);
              return w;
            })
        .getMetadata()
        .getGeneration();
  }

  private InstalledRule holdNextWrite(String operation) {
    forwardedBefore = PROXY.calls().forwarded(operation);
    return PROXY.add(
        FaultRule.inject(Fault.latency(HELD)).forOperations(operation).forNextCalls(1));
  }

  /** Until the proxy holds the operator's write: the reconciliation is in flight from here. */
  private static void awaitHeld(InstalledRule held) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> held.picked() == 1);
  }

  private String handPolicy() {
    return ENV.iamClient()
        .createPolicy(
            r ->
                r.policyName(HAND_POLICY)
                    .policyDocument(
                        """
                        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                         "Action": "s3:*", "Resource": "*"}]}
                        """))
        .policy()
        .arn();
  }

  private static String handDocument() {
    return """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Action": "dynamodb:*", "Resource": "*"}]}
        """;
  }

  private NetworkPolicy networkPolicy(String name) {
    return operator
        .getKubernetesClient()
        .network()
        .networkPolicies()
        .inNamespace(operator.getNamespace())
        .withName(name)
        .get();
  }

  private void assertRoleIsTheSpecs(String roleName, long generation) {
    var workload = operator.get(SecureWorkload.class, NAME);
    assertThat(workload.getMetadata().getGeneration()).isEqualTo(generation);
    var desired =
        TestRoles.permissive(ENV.settings())
            .desired(workload, "any", OperatorTestEnvironment.BOUNDARY);
    assertThat(PolicyDocuments.equivalent(ENV.inlinePolicy(roleName), desired.inlinePolicy()))
        .as("inline policy %s", ENV.inlinePolicy(roleName))
        .isTrue();
    var trust =
        PolicyDocuments.decode(
            ENV.iamClient().getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument());
    assertThat(PolicyDocuments.equivalent(trust, desired.trustPolicy())).as("trust").isTrue();
    assertThat(
            ENV.iamClient().listAttachedRolePolicies(r -> r.roleName(roleName)).attachedPolicies())
        .extracting(AttachedPolicy::policyName)
        .as("managed policies")
        .isEmpty();
  }

  private void assertReadyFor(long generation) {
    var workload = operator.get(SecureWorkload.class, NAME);
    assertThat(workload.getStatus().getObservedGeneration()).isEqualTo(generation);
    assertThat(workload.getStatus().getConditions())
        .anyMatch(c -> "Ready".equals(c.getType()) && Condition.TRUE.equals(c.getStatus()));
  }

  /** Reconciliations started over three drift sweeps once everything has settled. */
  private long quietReconciliations() throws InterruptedException {
    Thread.sleep(1000);
    long before = ENV.reconciliationsStarted();
    Thread.sleep(DRIFT_PERIOD.multipliedBy(3).toMillis());
    return ENV.reconciliationsStarted() - before;
  }
}
