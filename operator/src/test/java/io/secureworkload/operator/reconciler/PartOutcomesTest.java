package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestSettings.withAwsApiCidrs;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
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
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.DefaultDenyNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.IngressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.WorkloadChildDependent;
import io.secureworkload.operator.testsupport.TestContexts;
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

  private final PartOutcomes withAwsCidrs = new PartOutcomes(AWS_CIDRS);
  private final PartOutcomes withoutAwsCidrs = new PartOutcomes(NO_AWS_CIDRS);

  private final ManagedWorkflowAndDependentResourceContext workflowContext =
      mock(ManagedWorkflowAndDependentResourceContext.class);
  private final Context<SecureWorkload> context = TestContexts.withWorkflow(workflowContext);
  private final WorkflowReconcileResult result = mock(WorkflowReconcileResult.class);

  private final Map<DependentResource, Exception> errored = new HashMap<>();
  private final List<DependentResource> notReady = new ArrayList<>();
  private final List<DependentResource> reconciledDependents = new ArrayList<>();

  @BeforeEach
  void workflowRan() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.of(result));
    when(result.getErroredDependents()).thenReturn(errored);
    when(result.getNotReadyDependents()).thenReturn(notReady);
    when(result.getReconciledDependents()).thenReturn(reconciledDependents);
  }

  @Test
  void partsTheSpecDoesNotAskForAreReadyAndSaySo() {
    var outcomes = withAwsCidrs.of(minimal(), context, null);

    assertThat(outcomes.get(Part.SECRETS))
        .isEqualTo(PartOutcome.ready("NotRequested", "spec.secrets is not set"));
    assertThat(outcomes.get(Part.SECURITY_GROUPS))
        .isEqualTo(PartOutcome.ready("NotRequested", "spec.securityGroups is not set"));
    assertThat(outcomes.get(Part.NETWORK_POLICIES))
        .isEqualTo(PartOutcome.ready("NotRequested", "spec.network is not set"));
  }

  @Test
  void everyPartHasAnOutcome() {
    assertThat(withAwsCidrs.of(minimal(), context, null)).containsOnlyKeys(Part.values());
  }

  @Test
  void reconciledDependentIsInSync() {
    reconciled(Part.IAM_ROLE_DEPENDENT);
    reconciled(Part.SERVICE_ACCOUNT_DEPENDENT);

    var outcomes = withAwsCidrs.of(minimal(), context, null);

    assertThat(outcomes.get(Part.IAM_ROLE))
        .isEqualTo(PartOutcome.ready("InSync", "IAM role matches the spec"));
    assertThat(outcomes.get(Part.SERVICE_ACCOUNT))
        .isEqualTo(PartOutcome.ready("InSync", "ServiceAccount matches the spec"));
  }

  @Test
  void dependentNotInTheResultWaitsForItsDependencies() {
    reconciled(Part.IAM_ROLE_DEPENDENT);

    var outcome = withAwsCidrs.of(minimal(), context, null).get(Part.SERVICE_ACCOUNT);

    assertThat(outcome.status()).isEqualTo(Condition.UNKNOWN);
    assertThat(outcome.reason()).isEqualTo("WaitingForDependencies");
  }

  @Test
  void erroredDependentIsAFailureClassifiedFromItsException() {
    var role = reconciled(Part.IAM_ROLE_DEPENDENT);
    errored.put(role, new TerminalException("RoleNotOwned", "IAM role x is not ours"));

    var outcome = withAwsCidrs.of(minimal(), context, null).get(Part.IAM_ROLE);

    assertThat(outcome)
        .isEqualTo(
            new PartOutcome(Condition.FALSE, "RoleNotOwned", "IAM role x is not ours", true));
    assertThat(outcome.isFailure()).isTrue();
  }

  @Test
  void notReadyDependentIsPending() {
    notReady.add(reconciled(Part.SERVICE_ACCOUNT_DEPENDENT));

    var outcome = withAwsCidrs.of(minimal(), context, null).get(Part.SERVICE_ACCOUNT);

    assertThat(outcome)
        .isEqualTo(PartOutcome.pending("NotReady", "ServiceAccount is not ready yet"));
  }

  @Test
  void partWhoseCrdIsMissingFailsTerminallyWithTheInstallHint() {
    reconciled(Part.SECRET_PROVIDER_CLASS_DEPENDENT);

    var outcome =
        withAwsCidrs
            .of(withSpec("secrets: {objects: [{name: db, type: secretsmanager}]}"), context, null)
            .get(Part.SECRETS);

    assertThat(outcome.status()).isEqualTo(Condition.FALSE);
    assertThat(outcome.reason()).isEqualTo("CRDNotInstalled");
    assertThat(outcome.message())
        .contains(SecretProviderClass.CRD_NAME)
        .contains(SecretProviderClass.INSTALL_HINT);
    assertThat(outcome.terminal()).isTrue();
  }

  @Test
  void crdThatIsNotEstablishedYetCountsAsMissing() {
    crd(SecurityGroupPolicy.CRD_NAME, "False");
    reconciled(Part.SECURITY_GROUP_POLICY_DEPENDENT);

    var outcome =
        withAwsCidrs
            .of(withSpec("securityGroups: {groupIds: [sg-89abcdef]}"), context, null)
            .get(Part.SECURITY_GROUPS);

    assertThat(outcome.reason()).isEqualTo("CRDNotInstalled");
  }

  @Test
  void partWhoseCrdIsEstablishedIsReadFromTheWorkflow() {
    crd(SecurityGroupPolicy.CRD_NAME, "True");
    reconciled(Part.SECURITY_GROUP_POLICY_DEPENDENT);

    var outcome =
        withAwsCidrs
            .of(withSpec("securityGroups: {groupIds: [sg-89abcdef]}"), context, null)
            .get(Part.SECURITY_GROUPS);

    assertThat(outcome)
        .isEqualTo(PartOutcome.ready("InSync", "SecurityGroupPolicy matches the spec"));
  }

  @Test
  void beforeTheWorkflowRanAnIamErrorFailsTheIamRoleAndTheRestIsReconciling() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.empty());
    var error = new TerminalException("InvalidSpec", "bad spec");

    var outcomes = withAwsCidrs.of(minimal(), context, error);

    assertThat(outcomes.get(Part.IAM_ROLE))
        .isEqualTo(new PartOutcome(Condition.FALSE, "InvalidSpec", "bad spec", true));
    assertThat(outcomes.get(Part.SERVICE_ACCOUNT))
        .isEqualTo(
            PartOutcome.pending("Reconciling", "ServiceAccount has not been reconciled yet"));
  }

  @Test
  void dependentVisitedButNotReconciledIsStillReconciling() {
    visited(Part.SERVICE_ACCOUNT_DEPENDENT);

    var outcome = withAwsCidrs.of(minimal(), context, null).get(Part.SERVICE_ACCOUNT);

    assertThat(outcome)
        .isEqualTo(PartOutcome.pending("Reconciling", "ServiceAccount is being reconciled"));
  }

  @Test
  void networkPoliciesInSyncWhenTheAwsRuleIsWritten() {
    var outcome = networkOutcome(withAwsCidrs, AWS_CIDRS, IAM_STATEMENTS + "network: {}");

    assertThat(outcome).isEqualTo(PartOutcome.ready("InSync", "NetworkPolicies match the spec"));
  }

  @Test
  void networkPoliciesWarnWhenThePlatformConfiguredNoAwsCidrs() {
    var outcome = networkOutcome(withoutAwsCidrs, NO_AWS_CIDRS, IAM_STATEMENTS + "network: {}");

    assertThat(outcome.status()).isEqualTo(Condition.TRUE);
    assertThat(outcome.reason()).isEqualTo("InSyncWithoutAwsEgress");
    assertThat(outcome.message())
        .startsWith("NetworkPolicies match the spec, but the workload has IAM permissions")
        .contains("SW_AWS_API_CIDRS")
        .doesNotContain("allowAwsApis");
    assertThat(outcome.terminal()).isFalse();
  }

  @Test
  void networkPoliciesWarnWhenTheSpecSwitchedAwsApisOff() {
    var outcome =
        networkOutcome(withAwsCidrs, AWS_CIDRS, IAM_STATEMENTS + "network: {allowAwsApis: false}");

    assertThat(outcome.reason()).isEqualTo("InSyncWithoutAwsEgress");
    assertThat(outcome.message())
        .contains("spec.network.allowAwsApis is false")
        .doesNotContain("SW_AWS_API_CIDRS");
  }

  @Test
  void networkPoliciesWarnWhenNoEgressPolicyIsWrittenAtAll() {
    // allowDns false and no AWS rule: the default deny alone blocks every AWS call.
    var outcome =
        networkOutcome(
            withoutAwsCidrs, NO_AWS_CIDRS, IAM_STATEMENTS + "network: {allowDns: false}");

    assertThat(outcome.reason()).isEqualTo("InSyncWithoutAwsEgress");
  }

  @Test
  void managedPoliciesCountAsAwsPermissions() {
    var managed = "iam: {managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']}\n";

    assertThat(networkOutcome(withoutAwsCidrs, NO_AWS_CIDRS, managed + "network: {}").reason())
        .isEqualTo("InSyncWithoutAwsEgress");
  }

  @Test
  void secretsAloneNeedNoEgressOfTheirOwnBecauseTheCsiProviderFetchesThem() {
    var secrets = "secrets: {objects: [{name: db, type: secretsmanager}]}\n";

    assertThat(networkOutcome(withoutAwsCidrs, NO_AWS_CIDRS, secrets + "network: {}").reason())
        .isEqualTo("InSync");
  }

  @Test
  void noWarningWithoutAwsPermissions() {
    var outcome =
        networkOutcome(withoutAwsCidrs, NO_AWS_CIDRS, "iam: {statements: []}\nnetwork: {}");

    assertThat(outcome).isEqualTo(PartOutcome.ready("InSync", "NetworkPolicies match the spec"));
  }

  @Test
  void noWarningWhenEgressIsNotRestricted() {
    var outcome =
        networkOutcome(
            withoutAwsCidrs,
            NO_AWS_CIDRS,
            IAM_STATEMENTS + "network: {defaultDeny: {egress: false}}");

    assertThat(outcome).isEqualTo(PartOutcome.ready("InSync", "NetworkPolicies match the spec"));
  }

  @Test
  void declaredEgressRulesRestrictEgressEvenWithoutADeny() {
    var network =
        """
        network:
          defaultDeny: {ingress: false, egress: false}
          egress: [{ports: [{port: 5432}]}]
        """;

    var outcome = networkOutcome(withoutAwsCidrs, NO_AWS_CIDRS, IAM_STATEMENTS + network);

    assertThat(outcome.reason()).isEqualTo("InSyncWithoutAwsEgress");
  }

  @Test
  void networkPoliciesTheSpecDoesNotAskForAreNotWaitedFor() {
    // No ingress rules: the ingress policy was skipped by its precondition, never reconciled.
    var outcome = networkOutcome(withAwsCidrs, AWS_CIDRS, "network: {}");

    assertThat(outcome).isEqualTo(PartOutcome.ready("InSync", "NetworkPolicies match the spec"));
  }

  @Test
  void networkPolicyNotYetInTheResultMakesThePartWait() {
    reconciledDependents.add(
        inResult(
            Part.DEFAULT_DENY_POLICY_DEPENDENT, new DefaultDenyNetworkPolicyDependentResource()));

    var outcome =
        withAwsCidrs.of(withSpec("network: {}"), context, null).get(Part.NETWORK_POLICIES);

    assertThat(outcome.reason()).isEqualTo("WaitingForDependencies");
  }

  @Test
  void aFailingNetworkPolicyFailsThePartBeforeAnyWarning() {
    var workload = withSpec(IAM_STATEMENTS + "network: {}");
    networkPolicies(NO_AWS_CIDRS, workload);
    var egress = result.getDependentResourceByName(Part.EGRESS_POLICY_DEPENDENT).orElseThrow();
    reconciledDependents.remove(egress);
    errored.put(egress, new IllegalStateException("conflict"));

    var outcome = withoutAwsCidrs.of(workload, context, null).get(Part.NETWORK_POLICIES);

    assertThat(outcome)
        .isEqualTo(new PartOutcome(Condition.FALSE, "ReconcileError", "conflict", false));
  }

  @Test
  void aNetworkPolicyThatIsNotReadyMakesThePartPending() {
    var workload = withSpec("network: {}");
    networkPolicies(AWS_CIDRS, workload);
    notReady.add(result.getDependentResourceByName(Part.DEFAULT_DENY_POLICY_DEPENDENT).get());

    var outcome = withAwsCidrs.of(workload, context, null).get(Part.NETWORK_POLICIES);

    assertThat(outcome)
        .isEqualTo(PartOutcome.pending("NotReady", "NetworkPolicies is not ready yet"));
  }

  @Test
  void allFailuresTerminalOnlyWhenEveryErrorIsTerminal() {
    var role = reconciled(Part.IAM_ROLE_DEPENDENT);
    var account = reconciled(Part.SERVICE_ACCOUNT_DEPENDENT);

    assertThat(withAwsCidrs.allFailuresTerminal(context, null)).isFalse();

    errored.put(role, new TerminalException("RoleNotOwned", "not ours"));
    assertThat(withAwsCidrs.allFailuresTerminal(context, null)).isTrue();

    errored.put(account, new IllegalStateException("API server unavailable"));
    assertThat(withAwsCidrs.allFailuresTerminal(context, null)).isFalse();
  }

  @Test
  void allFailuresTerminalBeforeTheWorkflowRanFollowsTheError() {
    when(workflowContext.getWorkflowReconcileResult()).thenReturn(Optional.empty());

    assertThat(withAwsCidrs.allFailuresTerminal(context, null)).isFalse();
    assertThat(withAwsCidrs.allFailuresTerminal(context, new TerminalException("X", "y"))).isTrue();
    assertThat(withAwsCidrs.allFailuresTerminal(context, new IllegalStateException("z"))).isFalse();
  }

  /** A dependent the workflow reconciled, under its name in the result. */
  private DependentResource reconciled(String name) {
    var dependent = visited(name);
    reconciledDependents.add(dependent);
    return dependent;
  }

  /** A dependent in the workflow's result that was not reconciled. */
  private DependentResource visited(String name) {
    return inResult(name, mock(DependentResource.class));
  }

  private DependentResource inResult(String name, DependentResource dependent) {
    when(result.getDependentResourceByName(name)).thenReturn(Optional.of(dependent));
    return dependent;
  }

  /**
   * The three real NetworkPolicy dependents in the result, as the workflow holds them; only those
   * the spec asks for were reconciled, the others were skipped by their precondition.
   */
  private void networkPolicies(OperatorSettings settings, SecureWorkload workload) {
    List<WorkloadChildDependent<?>> dependents =
        List.of(
            new DefaultDenyNetworkPolicyDependentResource(),
            new IngressNetworkPolicyDependentResource(),
            new EgressNetworkPolicyDependentResource(settings));
    var names =
        List.of(
            Part.DEFAULT_DENY_POLICY_DEPENDENT,
            Part.INGRESS_POLICY_DEPENDENT,
            Part.EGRESS_POLICY_DEPENDENT);
    for (int i = 0; i < names.size(); i++) {
      inResult(names.get(i), dependents.get(i));
      if (dependents.get(i).isRequested(workload)) {
        reconciledDependents.add(dependents.get(i));
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

  private PartOutcome networkOutcome(
      PartOutcomes partOutcomes, OperatorSettings settings, String specYaml) {
    var workload = withSpec(specYaml);
    networkPolicies(settings, workload);
    return partOutcomes.of(workload, context, null).get(Part.NETWORK_POLICIES);
  }
}
