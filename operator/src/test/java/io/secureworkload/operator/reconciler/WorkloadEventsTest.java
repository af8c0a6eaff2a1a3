package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.IngressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.SecurityGroupPolicyDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.dependent.WorkloadChanges;
import io.secureworkload.operator.dependent.WorkloadChanges.Kind;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestEnvelope;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which one Event a reconciliation records, from the status it arrived at and its changes. */
class WorkloadEventsTest {

  private static final String ARN = "arn:aws:iam::123456789012:role/secureworkload/api";

  private static final String FULL_SPEC =
      """
      secrets:
        objects: [{name: prod/api/db, type: secretsmanager}]
      securityGroups: {groupIds: [sg-0123456789abcdef0]}
      network:
        ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
      """;

  private final TestEnvelope envelope = new TestEnvelope(TestSettings.inRegion("us-west-2"));
  private final WorkloadEvents events = new WorkloadEvents(envelope.envelope());
  private final ManagedWorkflowAndDependentResourceContext workflow =
      mock(ManagedWorkflowAndDependentResourceContext.class);
  private final Context<SecureWorkload> context = TestContexts.withWorkflow(workflow);
  private final WorkloadChanges changes = WorkloadChanges.startIn(context);
  private final List<String> recorded = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  WorkloadEventsTest() {
    var client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
    MixedOperation all = mock(MixedOperation.class);
    NonNamespaceOperation inNamespace = mock(NonNamespaceOperation.class);
    when(client.v1().events()).thenReturn(all);
    when(all.inNamespace(anyString())).thenReturn(inNamespace);
    when(inNamespace.resource(any()))
        .thenAnswer(
            call -> {
              Event event = call.getArgument(0);
              recorded.add(event.getType() + " " + event.getReason() + ": " + event.getMessage());
              names.add(event.getMetadata().getName());
              return mock(Resource.class);
            });
    when(context.getClient()).thenReturn(client);
    when(workflow.get(any(), eq(WorkloadChanges.class))).thenReturn(Optional.of(changes));
    when(workflow.get(IamRoleDependentResource.ROLE_CONTEXT_KEY, ActualRole.class))
        .thenReturn(Optional.of(ActualRole.named("api").withArn(ARN)));
  }

  @Test
  void aNewWorkloadIsOneReadyEventNamingEveryObjectMade() {
    var workload = withSpec(FULL_SPEC);
    changes.add(Kind.CREATED, IamRoleDependentResource.NAME, "IAM role " + ARN, null);
    changes.add(Kind.CREATED, ServiceAccountDependentResource.NAME, "ServiceAccount api", null);

    events.record(workload, workload, ready(), context);

    assertThat(recorded)
        .containsExactly(
            "Normal Ready: Ready: IAM role "
                + ARN
                + ", ServiceAccount api, SecretProviderClass api, SecurityGroupPolicy api,"
                + " NetworkPolicies api-default-deny, api-ingress, api-egress");
  }

  @Test
  void whatWasCreatedBeforeTheWorkloadIsReadyWaitsForTheReadyEvent() {
    var workload = withSpec(FULL_SPEC);
    changes.add(Kind.CREATED, ServiceAccountDependentResource.NAME, "ServiceAccount api", null);

    events.record(workload, workload, status(Condition.UNKNOWN, "Reconciling"), context);

    assertThat(recorded).isEmpty();
  }

  @Test
  void whatTurnedReadyAgainSaysWhatElseChanged() {
    var workload = withSpec(FULL_SPEC);
    workload.setStatus(status(Condition.FALSE, "AwsRetrying"));
    changes.add(Kind.UPDATED, IamRoleDependentResource.NAME, "IAM role api", "PutRolePolicy");

    events.record(workload, workload, ready(), context);

    assertThat(recorded)
        .singleElement()
        .asString()
        .startsWith("Normal Ready: Ready: IAM role " + ARN + ", ServiceAccount api")
        .endsWith(". Updated IAM role api (PutRolePolicy).");
  }

  @Test
  void repairsAndUpdatesOfOneReconciliationAreOneDriftRepairedEvent() {
    var workload = readyWorkload();
    changes.add(
        Kind.REPAIRED,
        IngressNetworkPolicyDependentResource.NAME,
        "NetworkPolicy api-ingress",
        null);
    changes.add(
        Kind.REPAIRED, SecurityGroupPolicyDependentResource.NAME, "SecurityGroupPolicy api", null);
    changes.add(Kind.UPDATED, IamRoleDependentResource.NAME, "IAM role api", "PutRolePolicy");

    events.record(workload, workload, ready(), context);

    assertThat(recorded)
        .containsExactly(
            "Normal DriftRepaired: Repaired changes made outside the operator to"
                + " SecurityGroupPolicy api, NetworkPolicy api-ingress."
                + " Updated IAM role api (PutRolePolicy).");
  }

  @Test
  void aSpecChangeIsOneUpdatedEvent() {
    var workload = readyWorkload();
    changes.add(
        Kind.CREATED, EgressNetworkPolicyDependentResource.NAME, "NetworkPolicy api-egress", null);
    changes.add(
        Kind.DELETED, SecurityGroupPolicyDependentResource.NAME, "SecurityGroupPolicy api", null);

    events.record(workload, workload, ready(), context);

    assertThat(recorded)
        .containsExactly(
            "Normal Updated: Created NetworkPolicy api-egress. Deleted, as the spec no longer"
                + " asks for them: SecurityGroupPolicy api.");
  }

  @Test
  void twoReconciliationsThatSeeTheSameTurnToReadyNameOneEvent() {
    var workload = withSpec(FULL_SPEC);
    workload.getMetadata().setUid("0f3c6f4e-6a8e-4b0c-9b0a-2f8d8c1e1a11");
    var notReady = status(Condition.FALSE, "RoleNotOwned");
    notReady.getConditions().get(0).setLastTransitionTime("2026-12-06T10:00:00Z");
    workload.setStatus(notReady);

    events.record(workload, workload, ready(), context);
    events.record(workload, workload, ready(), context);
    var notReadyLater = status(Condition.FALSE, "RoleNotOwned");
    notReadyLater.getConditions().get(0).setLastTransitionTime("2026-12-06T11:00:00Z");
    workload.setStatus(notReadyLater);
    events.record(workload, workload, ready(), context);

    assertThat(names).hasSize(3);
    assertThat(names.get(0)).isEqualTo(names.get(1)).startsWith("api.ready-");
    assertThat(names.get(2)).isNotEqualTo(names.get(0)).startsWith("api.ready-");
  }

  @Test
  void aReconciliationThatChangedNothingRecordsNothing() {
    var workload = readyWorkload();

    events.record(workload, workload, ready(), context);

    assertThat(recorded).isEmpty();
  }

  @Test
  void aFailureIsOneWarningAndItsRetriesNone() {
    var workload = readyWorkload();
    var failed = status(Condition.FALSE, "RoleNotOwned");

    events.record(workload, workload, failed, context);
    workload.setStatus(failed);
    events.record(workload, workload, failed, context);

    assertThat(recorded).singleElement().asString().startsWith("Warning NotOwned: ");
  }

  private SecureWorkload readyWorkload() {
    var workload = withSpec(FULL_SPEC);
    workload.setStatus(ready());
    return workload;
  }

  private static SecureWorkloadStatus ready() {
    return status(Condition.TRUE, "AllPartsReady");
  }

  private static SecureWorkloadStatus status(String ready, String reason) {
    var status = new SecureWorkloadStatus();
    status.setConditions(
        List.of(
            Condition.builder()
                .type(StatusAggregator.READY)
                .status(ready)
                .reason(reason)
                .message("the message of " + reason)
                .build()));
    return status;
  }
}
