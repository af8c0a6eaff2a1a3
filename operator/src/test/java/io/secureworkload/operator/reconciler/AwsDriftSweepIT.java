package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * What IAM calls the operator makes, counted on the operator's side against moto: a new workload
 * costs its writes only, a steady state costs one batched sweep per period, and drift made by hand
 * in AWS is repaired within a few sweeps of 2 s.
 */
class AwsDriftSweepIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  private static final Duration SWEEP = Duration.ofSeconds(2);
  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(MOTO.endpoint(), MOTO.endpoint(), SWEEP);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> SWEEP_READS =
      List.of("ListRoles", "GetAccountAuthorizationDetails");
  private static final List<String> ROLE_READS =
      List.of("GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies");
  private static final String WIDE_TRUST =
      """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
       "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/x"},
       "Action":"sts:AssumeRoleWithWebIdentity",
       "Condition":{"StringLike":{"x:sub":"system:serviceaccount:*"}}}]}""";

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final IamClient iam = ENV.iamClient();
  private WorkloadAssertions workloads;
  private String managedPolicyArn;

  @BeforeEach
  void setUp() {
    workloads = new WorkloadAssertions(operator);
    managedPolicyArn =
        iam.createPolicy(
                r ->
                    r.policyName("sweep-it-reader")
                        .policyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}"))
            .policy()
            .arn();
  }

  @Test
  void aNewWorkloadCostsCreateRolePutRolePolicyAndOneAttachPerManagedPolicy() {
    var before = counts();

    ready("fresh", true);
    // Later reconciliations (status, children) must not read IAM either.
    sleep(SWEEP.multipliedBy(2));

    var spent = spentSince(before);
    System.out.println("AwsDriftSweepIT: IAM calls of one new workload and 2 sweeps: " + spent);
    SWEEP_READS.forEach(spent::remove);
    assertThat(spent)
        .isEqualTo(Map.of("CreateRole", 1L, "PutRolePolicy", 1L, "AttachRolePolicy", 1L));
  }

  @Test
  void aSteadyStateSweepIsOneListRolesAndOneAuthorizationDetailsPageAndWritesNothing() {
    ready("steady-a", true);
    ready("steady-b", false);
    sleep(SWEEP.multipliedBy(2));
    var versions = resourceVersions();
    var before = counts();
    var writes = ENV.writes();
    var sweeps = ENV.calls("GetAccountAuthorizationDetails");

    sleep(SWEEP.multipliedBy(3).plusMillis(500));

    long swept = ENV.calls("GetAccountAuthorizationDetails") - sweeps;
    var spent = spentSince(before);
    System.out.printf(
        "AwsDriftSweepIT: steady state, %d sweeps: IAM calls %s, Kubernetes objects unchanged: %s%n",
        swept, spent, versions.equals(resourceVersions()));
    assertThat(swept).isBetween(2L, 4L);
    // The orphans are judged from the same read: nothing more.
    assertThat(spent)
        .isEqualTo(Map.of("ListRoles", swept, "GetAccountAuthorizationDetails", swept));
    assertThat(ENV.writes()).isEqualTo(writes);
    assertThat(resourceVersions()).isEqualTo(versions);
  }

  @Test
  void driftMadeByHandIsRepairedWithinAFewSweeps() {
    var trust = ready("trust", false);
    var inline = ready("inline", false);
    var detached = ready("detached", true);
    var attached = ready("attached", false);
    var unbounded = ready("unbounded", false);
    var originalTrust = trustPolicy(trust);
    var sweeps = ENV.calls("ListRoles");
    long started = System.nanoTime();

    iam.updateAssumeRolePolicy(r -> r.roleName(trust).policyDocument(WIDE_TRUST));
    iam.putRolePolicy(
        r ->
            r.roleName(inline)
                .policyName("added-by-hand")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}"));
    iam.detachRolePolicy(r -> r.roleName(detached).policyArn(managedPolicyArn));
    iam.attachRolePolicy(r -> r.roleName(attached).policyArn(managedPolicyArn));
    iam.deleteRolePermissionsBoundary(r -> r.roleName(unbounded));

    awaitRepaired(
        "trust", () -> PolicyDocuments.equivalent(trustPolicy(trust), originalTrust), started);
    awaitRepaired(
        "inline",
        () -> iam.listRolePolicies(r -> r.roleName(inline)).policyNames().size() == 1,
        started);
    awaitRepaired("detached", () -> attached(detached).contains(managedPolicyArn), started);
    awaitRepaired("attached", () -> attached(attached).isEmpty(), started);
    awaitRepaired(
        "boundary",
        () -> iam.getRole(r -> r.roleName(unbounded)).role().permissionsBoundary() != null,
        started);
    long swept = ENV.calls("ListRoles") - sweeps;
    System.out.printf(
        "AwsDriftSweepIT: 5 kinds of drift repaired after %d sweep(s) of %s, %d ms%n",
        swept, SWEEP, (System.nanoTime() - started) / 1_000_000);
    assertThat(swept).isLessThanOrEqualTo(2);
    // Each workload's repair is one Event that names the role and what was written to it.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(workloads.normalEvents("trust"))
                    .contains("Updated: Updated IAM role " + trust + " (UpdateAssumeRolePolicy)."));
  }

  /** A Ready workload with statements (and a managed policy if asked); its role's name. */
  private String ready(String name, boolean managed) {
    var spec =
        "selector: {matchLabels: {app: "
            + name
            + "}}\n"
            + "iam:\n"
            + "  statements: [{actions: [sqs:SendMessage], resources:"
            + " [\"arn:aws:sqs:us-west-2:123456789012:q\"]}]\n"
            + (managed ? "  managedPolicyArns: [\"" + managedPolicyArn + "\"]\n" : "");
    operator.create(workload(name, spec));
    workloads.awaitReady(name);
    return ENV.roleName(operator.getNamespace(), name);
  }

  private void awaitRepaired(String what, BooleanSupplier repaired, long started) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(repaired::getAsBoolean);
    System.out.printf(
        "AwsDriftSweepIT: %s repaired after %d ms%n",
        what, (System.nanoTime() - started) / 1_000_000);
  }

  private String trustPolicy(String roleName) {
    return PolicyDocuments.decode(
        iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument());
  }

  private List<String> attached(String roleName) {
    return iam.listAttachedRolePolicies(r -> r.roleName(roleName)).attachedPolicies().stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  /** Every IAM operation the operator may call, with its count so far. */
  private static Map<String, Long> counts() {
    var counts = new TreeMap<String, Long>();
    Stream.of(
            SWEEP_READS,
            ROLE_READS,
            List.of(
                "CreateRole",
                "PutRolePolicy",
                "AttachRolePolicy",
                "DetachRolePolicy",
                "DeleteRolePolicy",
                "UpdateAssumeRolePolicy",
                "UpdateRole",
                "PutRolePermissionsBoundary",
                "TagRole",
                "DeleteRole",
                "ListInstanceProfilesForRole"))
        .flatMap(List::stream)
        .forEach(op -> counts.put(op, ENV.calls(op)));
    return counts;
  }

  private static Map<String, Long> spentSince(Map<String, Long> before) {
    var spent = new TreeMap<String, Long>();
    counts()
        .forEach(
            (op, count) -> {
              long delta = count - before.get(op);
              if (delta != 0) {
                spent.put(op, delta);
              }
            });
    return spent;
  }

  /** The resourceVersion of every SecureWorkload and child in the test's namespace. */
  private Map<String, String> resourceVersions() {
    var versions = new TreeMap<String, String>();
    var client = operator.getKubernetesClient();
    var namespace = operator.getNamespace();
    Stream.of(
            client.resources(SecureWorkload.class).inNamespace(namespace).list().getItems(),
            client.resources(ServiceAccount.class).inNamespace(namespace).list().getItems(),
            client.resources(NetworkPolicy.class).inNamespace(namespace).list().getItems())
        .flatMap(List::stream)
        .forEach(o -> versions.put(key(o), o.getMetadata().getResourceVersion()));
    return versions;
  }

  private static String key(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
