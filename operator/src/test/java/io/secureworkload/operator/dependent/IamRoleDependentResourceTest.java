package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.dependent.WorkloadChanges.Kind;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.TerminalException;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestRoles;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The IAM role dependent against IAM in memory: which IAM operations each case costs. */
class IamRoleDependentResourceTest {

  private static final String BOUNDARY = "arn:aws:iam::123456789012:policy/workload-boundary";

  private static final String READ_REPORTS =
      """
      iam:
        statements:
          - actions: [s3:GetObject]
            resources: ["arn:aws:s3:::payments.reports/*"]
      """;

  private final FakeIamRoles iam = new FakeIamRoles();
  private final DependentServices services =
      TestServices.of(
          TestSettings.inRegion("us-west-2").toBuilder()
              .permissionsBoundaryArn(Optional.of(BOUNDARY))
              .build(),
          iam);
  private final WorkloadRole workloadRole = services.workloadRole();
  private final TestRoles roles = new TestRoles(services.settings(), FakeIamRoles.ACCOUNT);
  private final IamRoleDependentResource dependent = new IamRoleDependentResource(services);
  private final ManagedWorkflowAndDependentResourceContext workflow =
      mock(ManagedWorkflowAndDependentResourceContext.class);
  private final Context<SecureWorkload> context = TestContexts.admitting(workflow);

  /** The Events recorded at once; the changes of a reconciliation are told by the reconciler. */
  private final java.util.List<String> recorded = new java.util.ArrayList<>();

  private final WorkloadChanges changes = WorkloadChanges.startIn(context);

  @SuppressWarnings({"unchecked", "rawtypes"})
  IamRoleDependentResourceTest() {
    var client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
    MixedOperation events = mock(MixedOperation.class);
    NonNamespaceOperation inNamespace = mock(NonNamespaceOperation.class);
    when(client.v1().events()).thenReturn(events);
    when(events.inNamespace(anyString())).thenReturn(inNamespace);
    when(inNamespace.resource(any()))
        .thenAnswer(
            call -> {
              recorded.add(((Event) call.getArgument(0)).getReason());
              return mock(Resource.class);
            });
    when(context.getClient()).thenReturn(client);
    when(workflow.get(any(), eq(WorkloadChanges.class))).thenReturn(Optional.of(changes));
  }

  @Test
  void aNewWorkloadGetsItsRoleWithTrustTagsAndInlinePolicy() {
    var workload = withSpec(READ_REPORTS);

    var result = dependent.reconcile(workload, context);

    var desired = roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY);
    var role = iam.role(desired.name()).orElseThrow();
    assertThat(iam.operations()).containsExactly("CreateRole", "PutRolePolicy");
    assertThat(role.tags()).containsAllEntriesOf(desired.tags());
    assertThat(role.trustPolicy()).isEqualTo(desired.trustPolicy());
    assertThat(role.inlinePolicies()).containsOnlyKeys("secureworkload");
    assertThat(result.getSingleResource()).isPresent();
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(changes.all().get(0).object()).isEqualTo("IAM role " + role.arn());
    assertThat(recorded).isEmpty();
  }

  @Test
  void aReconciliationWithTheSameDesiredRoleMakesNoIamCall() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    iam.clearOperations();

    var result = dependent.reconcile(workload, context);

    assertThat(iam.operations()).isEmpty();
    assertThat(result.getSingleResource()).isPresent();
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(recorded).isEmpty();
  }

  @Test
  void anOwnedRoleThatMatchesIsAdoptedWithoutAnyWrite() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    services.accounts().home().states().forget(workloadRole.name(workload));
    iam.clearOperations();

    dependent.reconcile(workload, context);

    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole");
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(recorded).isEmpty();
  }

  @Test
  void aWorkloadWhoseStatusNamesItsRoleIsLookedAtRatherThanCreated() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    services.accounts().home().states().forget(workloadRole.name(workload));
    var status = new SecureWorkloadStatus();
    status.setRoleArn(iam.role(workloadRole.name(workload)).orElseThrow().arn());
    workload.setStatus(status);
    iam.clearOperations();

    dependent.reconcile(workload, context);

    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void aFailedWriteIsForgottenSoTheNextReconciliationLooksAgain() {
    var workload = withSpec(READ_REPORTS);
    iam.failWith("PutRolePolicy", "Throttling", true);
    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOf(AwsCallException.class);
    iam.heal();
    iam.clearOperations();

    dependent.reconcile(workload, context);

    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole", "PutRolePolicy");
  }

  @Test
  void aChangedStatementIsOneInlinePolicyWrite() {
    dependent.reconcile(withSpec(READ_REPORTS), context);
    iam.clearOperations();

    dependent.reconcile(withSpec(READ_REPORTS.replace("reports/*", "archive/*")), context);

    assertThat(iam.operations()).containsExactly("GetRole", "PutRolePolicy");
    assertThat(iam.role(workloadRole.name(minimal())).orElseThrow().inlinePolicies().values())
        .singleElement()
        .asString()
        .contains("archive/*");
  }

  @Test
  void aRoleWithOurNameButNotOurTagsIsNeverTouched() {
    var workload = withSpec(READ_REPORTS);
    var desired = roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY);
    var foreign = foreignRole(desired.name(), Map.of("team", "other"));
    iam.put(foreign);

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> assertThat(e.reason()).isEqualTo(ConditionReason.RoleNotOwned));
    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole");
    assertThat(iam.role(desired.name())).contains(foreign);
  }

  @Test
  void aRoleTaggedForAnotherNamespaceIsNotOurs() {
    var workload = withSpec(READ_REPORTS);
    var tags = new HashMap<>(roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY).tags());
    tags.put(WorkloadRole.TAG_NAMESPACE, "someone-else");
    iam.put(foreignRole(workloadRole.name(workload), tags));

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOf(TerminalException.class);
    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole");
  }

  @Test
  void aCutRoleOfAnEarlierNamespaceOfTheSameNameIsRefusedNamingBothUids() {
    var workload = withSpec(READ_REPORTS);
    var tags =
        new HashMap<>(roles.desired(workload, "uid-of-the-earlier-payments", BOUNDARY).tags());
    tags.put(TrustCut.TAG, "retained");
    tags.put(WorkloadRole.TAG_RETAINED, "true");
    var kept =
        foreignRole(workloadRole.name(workload), tags)
            .withTrustPolicy(workloadRole.cutTrustPolicy());
    iam.put(kept);

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConditionReason.CutRoleNotOwned);
              assertThat(e.getMessage())
                  .contains(kept.name())
                  .contains("deletionPolicy: Retain")
                  .contains("uid-of-the-earlier-payments")
                  .contains(TestServices.NAMESPACE_UID);
            });
    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole");
    assertThat(iam.role(kept.name())).contains(kept);
  }

  @Test
  void aCutRoleWithoutANamespaceUidIsNeverAdopted() {
    var workload = withSpec(READ_REPORTS);
    var tags = new HashMap<>(roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY).tags());
    tags.remove(WorkloadRole.TAG_NAMESPACE_UID);
    tags.put(TrustCut.TAG, "orphaned");
    var orphan =
        foreignRole(workloadRole.name(workload), tags)
            .withTrustPolicy(workloadRole.cutTrustPolicy());
    iam.put(orphan);

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConditionReason.CutRoleNotOwned);
              assertThat(e.getMessage())
                  .contains("was found without its SecureWorkload")
                  .contains("name no namespace uid");
            });
    assertThat(iam.role(orphan.name())).contains(orphan);
  }

  @Test
  void aRetainedRoleIsAdoptedAgainByItsOwnNamespaceWithItsTrustRestored() {
    var client = this.context.getClient();
    var context = TestContexts.admitting(workflow, allowingRetain());
    when(context.getClient()).thenReturn(client);
    var workload = withSpec(READ_REPORTS + "  deletionPolicy: Retain\n");
    dependent.reconcile(workload, context);
    dependent.delete(workload, context);
    iam.clearOperations();

    dependent.reconcile(workload, context);

    var role = iam.role(workloadRole.name(workload)).orElseThrow();
    assertThat(role.trustPolicy()).contains("system:serviceaccount:payments:api");
    assertThat(role.tags()).doesNotContainKeys(TrustCut.TAG, WorkloadRole.TAG_RETAINED);
    assertThat(iam.operations())
        .containsExactly("CreateRole", "GetRole", "UpdateAssumeRolePolicy", "UntagRole");
    assertThat(changedKinds()).containsExactly(Kind.CREATED, Kind.UPDATED);
    assertThat(changes.all().get(1).detail())
        .startsWith("adopted again")
        .contains("UpdateAssumeRolePolicy");
    assertThat(recorded).containsExactly("Retained");
  }

  @Test
  void deletionOfAKnownRoleIsItsPoliciesAndTheRole() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    iam.clearOperations();

    dependent.delete(workload, context);

    assertThat(iam.role(workloadRole.name(workload))).isEmpty();
    assertThat(iam.operations()).containsExactly("DeleteRolePolicy", "DeleteRole");
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(recorded).containsExactly("Deleted");
  }

  @Test
  void deletionAfterARestartReadsOnlyTheTags() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    services.accounts().home().states().forget(workloadRole.name(workload));
    iam.clearOperations();

    dependent.delete(workload, context);

    assertThat(iam.role(workloadRole.name(workload))).isEmpty();
    assertThat(iam.operations()).containsExactly("GetRole", "DeleteRolePolicy", "DeleteRole");
  }

  @Test
  void deletionClearsWhatWasAddedByHandAndKeepsTheInstanceProfile() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    var name = workloadRole.name(workload);
    iam.addToInstanceProfile("reused-for-ec2", name);
    iam.apply(name, new RoleChange.PutInlinePolicy("added-by-hand", "{}"));
    iam.apply(name, new RoleChange.AttachManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    iam.clearOperations();

    dependent.delete(workload, context);

    assertThat(iam.role(name)).isEmpty();
    assertThat(iam.instanceProfile("reused-for-ec2")).contains(Set.of());
    assertThat(iam.operations())
        .containsExactly(
            "DeleteRolePolicy",
            "DeleteRole",
            "ListInstanceProfilesForRole",
            "RemoveRoleFromInstanceProfile",
            "ListAttachedRolePolicies",
            "DetachRolePolicy",
            "ListRolePolicies",
            "DeleteRolePolicy",
            "DeleteRole");
  }

  @Test
  void aDeletionIamRefusesFailsWithTheAwsErrorAndRecordsNoDeletion() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    iam.failWith("DeleteRole", "AccessDenied", false);

    assertThatThrownBy(() -> dependent.delete(workload, context))
        .isInstanceOfSatisfying(
            AwsCallException.class, e -> assertThat(e.errorCode()).isEqualTo("AccessDenied"));
    assertThat(iam.role(workloadRole.name(workload))).isPresent();
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(recorded).isEmpty();
  }

  @Test
  void aRoleRecreatedForAWorkloadThatHadOneIsReportedAsDriftWithItsNewIdentity() {
    var workload = withSpec(READ_REPORTS);
    dependent.reconcile(workload, context);
    var name = workloadRole.name(workload);
    var firstId = iam.roleId(name).orElseThrow();
    var status = new SecureWorkloadStatus();
    status.setRoleArn(iam.role(name).orElseThrow().arn());
    workload.setStatus(status);
    iam.remove(name);
    // What the AWS drift sweep does when it finds the role missing.
    services.accounts().home().states().missing(name, services.accounts().home().states().now());

    dependent.reconcile(workload, context);

    assertThat(iam.role(name)).isPresent();
    assertThat(iam.roleId(name)).isPresent().get().isNotEqualTo(firstId);
    assertThat(changedKinds()).containsExactly(Kind.CREATED, Kind.REPAIRED);
    assertThat(changes.all().get(1).detail()).contains("new unique id");
    assertThat(recorded).isEmpty();
  }

  @Test
  void retainWhereThePolicyRefusesItMakesNoRole() {
    var workload = withSpec(READ_REPORTS + "  deletionPolicy: Retain\n");

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .hasMessageContaining("spec.iam.deletionPolicy");
    // One read: a role of that name may exist already, and would then be tightened instead.
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void retainKeepsTheRoleWithItsTrustCutWhereThePolicyAllowsIt() {
    var client = this.context.getClient();
    var context = TestContexts.admitting(workflow, allowingRetain());
    when(context.getClient()).thenReturn(client);
    var workload = withSpec(READ_REPORTS + "  deletionPolicy: Retain\n");
    dependent.reconcile(workload, context);
    iam.clearOperations();

    dependent.delete(workload, context);

    var kept = iam.role(workloadRole.name(workload));
    assertThat(kept).isPresent();
    assertThat(kept.get().tags())
        .containsEntry(WorkloadRole.TAG_RETAINED, "true")
        .containsEntry(TrustCut.TAG, "retained");
    assertThat(PolicyDocuments.equivalent(kept.get().trustPolicy(), workloadRole.cutTrustPolicy()))
        .isTrue();
    // One read proves ownership, one write cuts the trust, one marks it; nothing is deleted.
    assertThat(iam.operations()).containsExactly("GetRole", "UpdateAssumeRolePolicy", "TagRole");
    assertThat(changedKinds()).containsExactly(Kind.CREATED);
    assertThat(recorded).containsExactly("Retained");
  }

  @Test
  void retainLeavesARoleThatIsNotOursAsItIs() {
    var client = this.context.getClient();
    var context = TestContexts.admitting(workflow, allowingRetain());
    when(context.getClient()).thenReturn(client);
    var workload = withSpec(READ_REPORTS + "  deletionPolicy: Retain\n");
    iam.put(foreignRole(workloadRole.name(workload), Map.of()));
    iam.clearOperations();

    dependent.delete(workload, context);

    assertThat(iam.role(workloadRole.name(workload)).orElseThrow().tags())
        .doesNotContainKey(WorkloadRole.TAG_RETAINED);
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void deletionLeavesARoleThatIsNotOursInPlace() {
    var workload = withSpec(READ_REPORTS);
    var foreign = foreignRole(workloadRole.name(workload), Map.of());
    iam.put(foreign);

    dependent.delete(workload, context);

    assertThat(iam.role(foreign.name())).contains(foreign);
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void deletionOfARoleAlreadyGoneIsDone() {
    dependent.delete(withSpec(READ_REPORTS), context);

    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void aPolicyIamRefusesForGoodRightAfterCreateRoleLeavesNoHalfMadeRole() {
    var workload = withSpec(READ_REPORTS);
    iam.failWith("PutRolePolicy", "MalformedPolicyDocument", false);

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConditionReason.AwsRejected);
              assertThat(e.getMessage())
                  .startsWith("spec.iam.statements: PutRolePolicy failed: MalformedPolicyDocument")
                  .contains("deleted again");
            });
    var name = roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY).name();
    assertThat(iam.role(name)).isEmpty();
    assertThat(iam.operations()).startsWith("CreateRole", "PutRolePolicy").endsWith("DeleteRole");

    iam.heal();
    iam.clearOperations();
    dependent.reconcile(workload, context);

    assertThat(iam.operations()).containsExactly("CreateRole", "PutRolePolicy");
    assertThat(iam.role(name)).isPresent();
  }

  @Test
  void aPolicyWriteThatMaySucceedLaterKeepsTheRoleForTheRetry() {
    var workload = withSpec(READ_REPORTS);
    iam.failWith("PutRolePolicy", "ServiceUnavailable", true);

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOf(AwsCallException.class);

    var name = roles.desired(workload, TestServices.NAMESPACE_UID, BOUNDARY).name();
    assertThat(iam.role(name)).isPresent();
    assertThat(iam.operations()).containsExactly("CreateRole", "PutRolePolicy");
  }

  @Test
  void aNewWorkloadBreakingAGuardrailGetsNoRoleAndNoIamWrite() {
    var workload = withSpec(READ_REPORTS.replace("s3:GetObject", "iam:PassRole"));

    assertThatThrownBy(() -> dependent.reconcile(workload, context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConditionReason.GuardrailViolation);
              assertThat(e.getMessage())
                  .contains("spec.iam.statements[0].actions[0]")
                  .contains("iam:PassRole")
                  .contains("[policy default]");
            });
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void withoutAnyPermissionsBoundaryNoRoleIsWritten() {
    var unbounded =
        new IamRoleDependentResource(TestServices.of(TestSettings.inRegion("us-west-2"), iam));

    assertThatThrownBy(() -> unbounded.reconcile(withSpec(READ_REPORTS), context))
        .isInstanceOfSatisfying(
            TerminalException.class,
            e -> assertThat(e.reason()).isEqualTo(ConditionReason.PermissionsBoundaryMissing));
    assertThat(iam.operations()).isEmpty();
  }

  @Test
  void theRoleCarriesTheBoundary() {
    var workload = withSpec(READ_REPORTS);

    dependent.reconcile(workload, context);

    assertThat(iam.role(workloadRole.name(workload)).orElseThrow().permissionsBoundaryArn())
        .isEqualTo(BOUNDARY);
  }

  private static SecureWorkloadPolicy allowingRetain() {
    return Serialization.unmarshal(
        """
        apiVersion: secureworkload.io/v1alpha1
        kind: SecureWorkloadPolicy
        metadata: {name: keep-roles}
        spec:
          namespaces: [payments]
          iam:
            allowRetain: true
            permissionsBoundaryArn: arn:aws:iam::123456789012:policy/workload-boundary
        """,
        SecureWorkloadPolicy.class);
  }

  private static ActualRole foreignRole(String name, Map<String, String> tags) {
    return ActualRole.named(name)
        .withIdentity(
            "arn:aws:iam::123456789012:role/secureworkload/" + name,
            "/secureworkload/",
            "AROAMADEBYHAND")
        .withDescription("made by hand")
        .withTrustPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        .withManagedPolicyArns(java.util.Set.of())
        .withMaxSessionDurationSeconds(3600)
        .withTags(tags);
  }

  private java.util.List<Kind> changedKinds() {
    return changes.all().stream().map(WorkloadChanges.Change::kind).toList();
  }
}
