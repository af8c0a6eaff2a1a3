package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestSettings.withAwsApiCidrs;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.EnvelopeDependent;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.PartOutcome;
import io.secureworkload.operator.outcome.TerminalException;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestEnvelope;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings({"rawtypes", "unchecked"})
class PartOutcomesTest {

  private static final String IAM_STATEMENTS =
      """
      iam:
        statements:
          - actions: [s3:GetObject]
            resources: ["arn:aws:s3:::reports/*"]
      """;

  private static final OperatorSettings AWS_CIDRS = withAwsApiCidrs(List.of("10.0.100.0/24"));
  private static final OperatorSettings NO_AWS_CIDRS = withAwsApiCidrs(List.of());

  private final ManagedWorkflowAndDependentResourceContext workflowContext =
      mock(ManagedWorkflowAndDependentResourceContext.class);
  private final Context<SecureWorkload> context = TestContexts.withWorkflow(workflowContext);
  private final WorkflowReconcileResult result = mock(WorkflowReconcileResult.class);

  private final Map<DependentResource, Exception> errored = new HashMap<>();
  private final List<DependentResource> notReady = new ArrayList<>();
  private final List<DependentResource> reconciledDependents = new ArrayList<>();

  private TestEnvelope envelope = new TestEnvelope(AWS_CIDRS);
  private TestEnvelope withoutCidrs = new TestEnvelope(NO_AWS_CIDRS);

  @BeforeEach
  void workflowRan() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.of(result));
    when(result.getErroredDependents()).thenReturn(errored);
    when(result.getNotReadyDependents()).thenReturn(notReady);
    when(result.getReconciledDependents()).thenReturn(reconciledDependents);
    when(result.getDependentResourceByName(anyString()))
        .thenAnswer(call -> visited(call.getArgument(0)));
  }

  @Test
  void partsTheSpecDoesNotAskForAreReadyAndSaySo() {
    var outcomes = envelope.outcomes().of(minimal(), context);

    assertThat(outcomes.get(envelope.secretsPart()))
        .isEqualTo(
            PartOutcome.ready(
                ConditionReason.NotRequested, "spec.secrets asks for no SecretProviderClass"));
    assertThat(outcomes.get(envelope.securityGroupsPart()).reason())
        .isEqualTo(ConditionReason.NotRequested);
    assertThat(outcomes.get(envelope.networkPart()).reason())
        .isEqualTo(ConditionReason.NotRequested);
  }

  @Test
  void everyPartHasAnOutcomeInTheWorkflowsOrder() {
    assertThat(envelope.outcomes().of(minimal(), context).keySet())
        .extracting(Part::conditionType)
        .containsExactly(
            "IAMRoleReady",
            "ServiceAccountReady",
            "SecretsReady",
            "SecurityGroupsReady",
            "NetworkPoliciesReady");
  }

  @Test
  void reconciledDependentIsInSync() {
    reconciled(envelope.iamRole);
    reconciled(envelope.serviceAccount);

    var outcomes = envelope.outcomes().of(minimal(), context);

    assertThat(outcomes.get(envelope.iamPart()))
        .isEqualTo(PartOutcome.ready(ConditionReason.InSync, "IAM role matches the spec"));
    assertThat(outcomes.get(envelope.serviceAccountPart()))
        .isEqualTo(PartOutcome.ready(ConditionReason.InSync, "ServiceAccount matches the spec"));
  }

  @Test
  void dependentNotReconciledWaitsForItsDependencies() {
    reconciled(envelope.iamRole);

    var outcome = envelope.outcomes().of(minimal(), context).get(envelope.serviceAccountPart());

    assertThat(outcome.status()).isEqualTo(Condition.UNKNOWN);
    assertThat(outcome.reason()).isEqualTo(ConditionReason.WaitingForDependencies);
  }

  @Test
  void erroredDependentIsAFailureClassifiedFromItsException() {
    errored.put(
        envelope.iamRole,
        new TerminalException(ConditionReason.RoleNotOwned, "IAM role x is not ours"));

    var outcome = envelope.outcomes().of(minimal(), context).get(envelope.iamPart());

    assertThat(outcome)
        .isEqualTo(
            new PartOutcome(
                Condition.FALSE, ConditionReason.RoleNotOwned, "IAM role x is not ours", true));
    assertThat(outcome.isFailure()).isTrue();
  }

  @Test
  void anAwsFailureNamesThePartAndKeepsTheAwsCodeInTheMessage() {
    errored.put(
        envelope.iamRole,
        AwsCallException.of("PutRolePolicy", "MalformedPolicyDocument", "bad", false, false, null));

    var outcome = envelope.outcomes().of(minimal(), context).get(envelope.iamPart());

    assertThat(outcome.reason()).isEqualTo(ConditionReason.AwsRejected);
    assertThat(outcome.message())
        .isEqualTo("IAM role: PutRolePolicy failed: MalformedPolicyDocument: bad");
    assertThat(outcome.terminal()).isTrue();
  }

  @Test
  void notReadyDependentIsPending() {
    notReady.add(reconciled(envelope.serviceAccount));

    var outcome = envelope.outcomes().of(minimal(), context).get(envelope.serviceAccountPart());

    assertThat(outcome)
        .isEqualTo(
            PartOutcome.pending(ConditionReason.NotReady, "ServiceAccount is not ready yet"));
  }

  @Test
  void partWhoseCrdIsMissingFailsTerminallyWithTheInstallHint() {
    reconciled(envelope.secretProviderClass);

    var outcome =
        envelope
            .outcomes()
            .of(withSpec("secrets: {objects: [{name: db, type: secretsmanager}]}"), context)
            .get(envelope.secretsPart());

    assertThat(outcome.status()).isEqualTo(Condition.FALSE);
    assertThat(outcome.reason()).isEqualTo(ConditionReason.CRDNotInstalled);
    assertThat(outcome.message())
        .contains(SecretProviderClass.CRD_NAME)
        .contains(SecretProviderClass.INSTALL_HINT);
    assertThat(outcome.terminal()).isTrue();
  }

  @Test
  void crdThatIsNotEstablishedYetCountsAsMissing() {
    crd(SecurityGroupPolicy.CRD_NAME, "False");
    reconciled(envelope.securityGroupPolicy);

    var outcome =
        envelope
            .outcomes()
            .of(withSpec("securityGroups: {groupIds: [sg-89abcdef]}"), context)
            .get(envelope.securityGroupsPart());

    assertThat(outcome.reason()).isEqualTo(ConditionReason.CRDNotInstalled);
  }

  @Test
  void partWhoseCrdIsEstablishedIsReadFromTheWorkflow() {
    crd(SecurityGroupPolicy.CRD_NAME, "True");
    reconciled(envelope.securityGroupPolicy);

    var outcome =
        envelope
            .outcomes()
            .of(withSpec("securityGroups: {groupIds: [sg-89abcdef]}"), context)
            .get(envelope.securityGroupsPart());

    assertThat(outcome)
        .isEqualTo(
            PartOutcome.ready(ConditionReason.InSync, "SecurityGroupPolicy matches the spec"));
  }

  @Test
  void beforeTheWorkflowRanEveryPartIsReconciling() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.empty());

    var outcomes = envelope.outcomes().of(minimal(), context);

    assertThat(outcomes.get(envelope.serviceAccountPart()))
        .isEqualTo(
            PartOutcome.pending(
                ConditionReason.Reconciling, "ServiceAccount has not been reconciled yet"));
  }

  @Test
  void networkPoliciesInSyncWhenTheAwsRuleIsWritten() {
    var outcome = networkOutcome(envelope, IAM_STATEMENTS + "network: {}");

    assertThat(outcome)
        .isEqualTo(PartOutcome.ready(ConditionReason.InSync, "NetworkPolicies matches the spec"));
  }

  @Test
  void networkPoliciesWarnWhenThePlatformConfiguredNoAwsCidrs() {
    var outcome = networkOutcome(withoutCidrs, IAM_STATEMENTS + "network: {}");

    assertThat(outcome.status()).isEqualTo(Condition.TRUE);
    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSyncWithoutAwsEgress);
    assertThat(outcome.message())
        .startsWith("NetworkPolicies match the spec, but the workload has IAM permissions")
        .contains("SW_AWS_API_CIDRS")
        .doesNotContain("allowAwsApis");
    assertThat(outcome.terminal()).isFalse();
  }

  @Test
  void networkPoliciesWarnWhenTheSpecSwitchedAwsApisOff() {
    var outcome = networkOutcome(envelope, IAM_STATEMENTS + "network: {allowAwsApis: false}");

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSyncWithoutAwsEgress);
    assertThat(outcome.message())
        .contains("spec.network.allowAwsApis is false")
        .doesNotContain("SW_AWS_API_CIDRS");
  }

  @Test
  void networkPoliciesWarnWhenNoEgressPolicyIsWrittenAtAll() {
    // allowDns false and no AWS rule: the default deny alone blocks every AWS call.
    var outcome = networkOutcome(withoutCidrs, IAM_STATEMENTS + "network: {allowDns: false}");

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSyncWithoutAwsEgress);
  }

  @Test
  void managedPoliciesCountAsAwsPermissions() {
    var managed = "iam: {managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']}\n";

    assertThat(networkOutcome(withoutCidrs, managed + "network: {}").reason())
        .isEqualTo(ConditionReason.InSyncWithoutAwsEgress);
  }

  @Test
  void secretsAloneNeedNoEgressOfTheirOwnBecauseTheCsiProviderFetchesThem() {
    var secrets = "secrets: {objects: [{name: db, type: secretsmanager}]}\n";

    assertThat(networkOutcome(withoutCidrs, secrets + "network: {}").reason())
        .isEqualTo(ConditionReason.InSync);
  }

  @Test
  void noWarningWithoutAwsPermissions() {
    var outcome = networkOutcome(withoutCidrs, "iam: {statements: []}\nnetwork: {}");

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSync);
  }

  @Test
  void noWarningWhenEgressIsNotRestricted() {
    var outcome =
        networkOutcome(withoutCidrs, IAM_STATEMENTS + "network: {defaultDeny: {egress: false}}");

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSync);
  }

  @Test
  void declaredEgressRulesRestrictEgressEvenWithoutADeny() {
    var network =
        """
        network:
          defaultDeny: {ingress: false, egress: false}
          egress: [{ports: [{port: 5432}]}]
        """;

    var outcome = networkOutcome(withoutCidrs, IAM_STATEMENTS + network);

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSyncWithoutAwsEgress);
  }

  @Test
  void networkPoliciesTheSpecDoesNotAskForAreNotWaitedFor() {
    // No ingress rules: the ingress policy was skipped by its precondition, never reconciled.
    var outcome = networkOutcome(envelope, "network: {}");

    assertThat(outcome.reason()).isEqualTo(ConditionReason.InSync);
  }

  @Test
  void networkPolicyNotYetReconciledMakesThePartWait() {
    reconciled(envelope.defaultDeny);

    var outcome =
        envelope.outcomes().of(withSpec("network: {}"), context).get(envelope.networkPart());

    assertThat(outcome.reason()).isEqualTo(ConditionReason.WaitingForDependencies);
  }

  @Test
  void aFailingNetworkPolicyFailsThePartBeforeAnyWarning() {
    var workload = withSpec(IAM_STATEMENTS + "network: {}");
    reconciledAsRequested(withoutCidrs, workload);
    reconciledDependents.remove(withoutCidrs.egress);
    errored.put(withoutCidrs.egress, new IllegalStateException("conflict"));

    var outcome = withoutCidrs.outcomes().of(workload, context).get(withoutCidrs.networkPart());

    assertThat(outcome)
        .isEqualTo(
            new PartOutcome(
                Condition.FALSE,
                ConditionReason.ReconcileError,
                "NetworkPolicies: conflict",
                false));
  }

  @Test
  void aNetworkPolicyThatIsNotReadyMakesThePartPending() {
    var workload = withSpec("network: {}");
    reconciledAsRequested(envelope, workload);
    notReady.add(envelope.defaultDeny);

    var outcome = envelope.outcomes().of(workload, context).get(envelope.networkPart());

    assertThat(outcome)
        .isEqualTo(
            PartOutcome.pending(ConditionReason.NotReady, "NetworkPolicies is not ready yet"));
  }

  @Test
  void allFailuresTerminalOnlyWhenEveryErrorIsTerminal() {
    assertThat(PartOutcomes.allFailuresTerminal(context, null)).isFalse();

    errored.put(envelope.iamRole, new TerminalException(ConditionReason.RoleNotOwned, "not ours"));
    assertThat(PartOutcomes.allFailuresTerminal(context, null)).isTrue();

    errored.put(envelope.serviceAccount, new IllegalStateException("API server unavailable"));
    assertThat(PartOutcomes.allFailuresTerminal(context, null)).isFalse();
  }

  @Test
  void allFailuresTerminalBeforeTheWorkflowRanFollowsTheError() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.empty());

    assertThat(PartOutcomes.allFailuresTerminal(context, null)).isFalse();
    assertThat(
            PartOutcomes.allFailuresTerminal(
                context, new TerminalException(ConditionReason.RoleNotOwned, "y")))
        .isTrue();
    assertThat(PartOutcomes.allFailuresTerminal(context, new IllegalStateException("z"))).isFalse();
  }

  /** The dependent of that name if the workflow visited it: reconciled, errored or not ready. */
  private Optional<DependentResource> visited(String name) {
    var visited = new ArrayList<DependentResource>(reconciledDependents);
    visited.addAll(errored.keySet());
    visited.addAll(notReady);
    return visited.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** A dependent the workflow reconciled. */
  private DependentResource reconciled(DependentResource dependent) {
    reconciledDependents.add(dependent);
    return dependent;
  }

  /** Marks as reconciled what the spec asks for; the rest was skipped by its precondition. */
  private void reconciledAsRequested(TestEnvelope envelope, SecureWorkload workload) {
    for (var dependent : envelope.all()) {
      if (((EnvelopeDependent) dependent).isRequested(workload)) {
        reconciledDependents.add(dependent);
      }
    }
  }

  private void crd(String name, String established) {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Established")
            .withStatus(established)
            .endCondition()
            .endStatus()
            .build();
    when(context.getSecondaryResource(CustomResourceDefinition.class, name))
        .thenReturn(Optional.of(crd));
  }

  private PartOutcome networkOutcome(TestEnvelope envelope, String specYaml) {
    var workload = withSpec(specYaml);
    reconciledAsRequested(envelope, workload);
    return envelope.outcomes().of(workload, context).get(envelope.networkPart());
  }
}
