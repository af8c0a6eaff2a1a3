package io.secureworkload.operator.faults;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.RoleTrust;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The orphan sweep on a real API server and moto, with {@code SW_ORPHAN_POLICY=Delete} and a sweep
 * every 2 s. The operator's AWS calls go through a fault proxy, which blocks a deletion so that a
 * person can remove the finalizer by force, or the trust cut of a retained role.
 */
class OrphanSweepIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(
          PROXY.endpoint(),
          MOTO.endpoint(),
          settings ->
              settings.awsDriftPeriod(Duration.ofSeconds(2)).orphanPolicy(OrphanPolicy.Delete));
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SPEC =
      """
      selector: {matchLabels: {app: x}}
      iam:
        statements: [{actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:q"]}]
      """;

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final IamClient iam = ENV.iamClient();

  /**
   * Invariant: a role of this cluster whose SecureWorkload is gone without its cleanup (the
   * finalizer removed by force) is found and deleted by the sweep; a role kept by {@code Retain},
   * another cluster's role and an untagged role under the same path are never touched.
   */
  @Test
  void theRoleOfAWorkloadWhoseFinalizerWasRemovedByForceIsDeletedAndNoOtherRole() {
    var workloads = new WorkloadAssertions(operator);
    operator.create(workload("forced", SPEC));
    operator.create(workload("kept", SPEC + "  deletionPolicy: Retain\n"));
    workloads.awaitReady("forced");
    workloads.awaitReady("kept");
    var forced = ENV.roleName(operator.getNamespace(), "forced");
    var kept = ENV.roleName(operator.getNamespace(), "kept");
    var otherCluster = foreignRole("sw-other." + operator.getNamespace() + ".forced", "other");
    var untagged = foreignRole("sw-untagged." + operator.getNamespace() + ".x", null);

    operator.delete(operator.get(SecureWorkload.class, "kept"));
    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "kept") == null);
    assertThat(tags(kept))
        .containsEntry(WorkloadRole.TAG_RETAINED, "true")
        .containsEntry(TrustCut.TAG, "retained");

    // IAM refuses the deletion; a person gives up on it and removes the finalizer by hand.
    var refusal = PROXY.add(FaultRule.inject(Fault.accessDenied()).forOperations("DeleteRole"));
    operator.delete(operator.get(SecureWorkload.class, "forced"));
    workloads.awaitCondition("forced", "Ready", "False", "DeletionBlocked");
    operator
        .getKubernetesClient()
        .resources(SecureWorkload.class)
        .inNamespace(operator.getNamespace())
        .withName("forced")
        .edit(
            w -> {
              w.getMetadata().setFinalizers(List.of());
              return w;
            });
    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "forced") == null);
    assertThat(exists(forced)).as("the orphan, before the sweep may delete it").isTrue();
    PROXY.proxy().clearRules();

    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> !exists(forced));
    // Two more sweeps: what is not an orphan stays.
    long sweeps = PROXY.calls().total("ListRoles");
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> PROXY.calls().total("ListRoles") >= sweeps + 2);
    assertThat(exists(kept)).as("retained").isTrue();
    assertThat(RoleTrust.subjects(trustPolicy(kept))).containsExactly(TrustCut.SUBJECT);
    assertThat(exists(otherCluster)).as("another cluster's").isTrue();
    assertThat(exists(untagged)).as("untagged").isTrue();
    System.out.printf(
        "[faults] orphan sweep: orphan deleted, 3 others kept; %d ListRoles and %d GetRole calls"
            + " in the test%n",
        PROXY.calls().total("ListRoles"), PROXY.calls().total("GetRole"));
  }

  /**
   * Invariant: a workload with {@code deletionPolicy: Retain} goes only once no ServiceAccount can
   * assume the role it leaves behind. While IAM refuses to cut the role's trust, the finalizer
   * holds the workload and its status says why; once IAM accepts, it goes, the role kept and cut.
   */
  @Test
  void aRetainedWorkloadGoesOnlyOnceItsRolesTrustIsCut() {
    var workloads = new WorkloadAssertions(operator);
    operator.create(workload("held", SPEC + "  deletionPolicy: Retain\n"));
    workloads.awaitReady("held");
    var held = ENV.roleName(operator.getNamespace(), "held");
    var serviceAccount = "system:serviceaccount:" + operator.getNamespace() + ":held";

    PROXY.add(FaultRule.inject(Fault.accessDenied()).forOperations("UpdateAssumeRolePolicy"));
    operator.delete(operator.get(SecureWorkload.class, "held"));

    var blocked = workloads.awaitCondition("held", "Ready", "False", "DeletionBlocked");
    assertThat(WorkloadAssertions.condition(blocked, "Ready").getMessage())
        .contains("The trust of IAM role " + held + " cannot be cut")
        .contains("iam:UpdateAssumeRolePolicy");
    assertThat(WorkloadAssertions.condition(blocked, "Stalled").getStatus()).isEqualTo("True");
    // Attempts go on with backoff; the workload stays, and so does the trust IAM refused to cut.
    await().pollDelay(Duration.ofSeconds(5)).atMost(TIMEOUT).until(() -> true);
    assertThat(operator.get(SecureWorkload.class, "held")).as("held by its finalizer").isNotNull();
    assertThat(RoleTrust.subjects(trustPolicy(held))).containsExactly(serviceAccount);
    assertThat(workloads.events("held")).containsOnlyOnce("DeletionBlocked");

    PROXY.proxy().clearRules();

    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "held") == null);
    assertThat(RoleTrust.subjects(trustPolicy(held))).containsExactly(TrustCut.SUBJECT);
    assertThat(tags(held)).containsEntry(TrustCut.TAG, "retained");
    // Besides its creation, the deletion is one Normal Event: the role kept.
    assertThat(workloads.normalEvents("held"))
        .filteredOn(event -> !event.startsWith("Ready: "))
        .singleElement()
        .asString()
        .startsWith("Retained: Kept IAM role " + held + " (deletionPolicy: Retain)");
    System.out.printf(
        "[faults] retained role: the workload held while UpdateAssumeRolePolicy was refused (%d"
            + " attempts), gone once the cut was written%n",
        PROXY.calls().total("UpdateAssumeRolePolicy"));
  }

  /** A role under the operator's path that this cluster did not make. */
  private String foreignRole(String name, String cluster) {
    var trust =
        PolicyDocuments.trustPolicy("arn:aws:iam::123456789012:oidc-provider/x", "x", "ns", "sa");
    iam.createRole(
        r -> {
          r.roleName(name).path("/secureworkload/").assumeRolePolicyDocument(trust);
          if (cluster != null) {
            r.tags(
                Tag.builder()
                    .key(WorkloadRole.TAG_MANAGED_BY)
                    .value(SecureWorkload.MANAGED_BY)
                    .build(),
                Tag.builder().key(WorkloadRole.TAG_CLUSTER).value(cluster).build(),
                Tag.builder()
                    .key(WorkloadRole.TAG_ISSUER)
                    .value(ENV.settings().oidcProviderHostPath())
                    .build(),
                Tag.builder()
                    .key(WorkloadRole.TAG_NAMESPACE)
                    .value(operator.getNamespace())
                    .build(),
                Tag.builder().key(WorkloadRole.TAG_NAME).value("forced").build());
          }
        });
    return name;
  }

  private boolean exists(String roleName) {
    try {
      iam.getRole(r -> r.roleName(roleName));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  private String trustPolicy(String roleName) {
    return PolicyDocuments.decode(
        iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument());
  }

  private Map<String, String> tags(String roleName) {
    return iam.getRole(r -> r.roleName(roleName)).role().tags().stream()
        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }
}
