package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.CrdWatch;
import io.secureworkload.operator.dependent.NetworkIntent;
import io.secureworkload.operator.dependent.WorkloadChildDependent;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Reads how each part of a workload stands from the workflow's result. */
public final class PartOutcomes {

  private final OperatorSettings settings;

  public PartOutcomes(OperatorSettings settings) {
    this.settings = settings;
  }

  public Map<Part, PartOutcome> of(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    Map<Part, PartOutcome> outcomes = new EnumMap<>(Part.class);
    for (var part : Part.values()) {
      outcomes.put(part, outcome(part, workload, context, result, error));
    }
    return outcomes;
  }

  /** True when retrying cannot help: every failure needs a change of the spec or of AWS first. */
  public boolean allFailuresTerminal(Context<SecureWorkload> context, Exception error) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    if (result.isEmpty()) {
      return error != null && Failure.classify(error).terminal();
    }
    var errors = result.get().getErroredDependents().values();
    return !errors.isEmpty() && errors.stream().allMatch(e -> Failure.classify(e).terminal());
  }

  private PartOutcome outcome(
      Part part,
      SecureWorkload workload,
      Context<SecureWorkload> context,
      Optional<WorkflowReconcileResult> result,
      Exception error) {
    if (!part.isRequestedBy(workload)) {
      return PartOutcome.ready("NotRequested", part.specField() + " is not set");
    }
    var crd = part.crdName();
    if (crd.isPresent() && !CrdWatch.isInstalled(crd.get(), context)) {
      return new PartOutcome(
          Condition.FALSE,
          "CRDNotInstalled",
          "The CustomResourceDefinition " + crd.get() + " is not installed. " + part.installHint(),
          true);
    }
    if (result.isEmpty()) {
      return error != null && part == Part.IAM_ROLE
          ? PartOutcome.failed(Failure.classify(error))
          : PartOutcome.pending("Reconciling", part.displayName() + " has not been reconciled yet");
    }
    var workflow = result.get();
    for (var name : part.dependentNames()) {
      var dependent = workflow.getDependentResourceByName(name);
      if (dependent.isEmpty()) {
        return PartOutcome.pending(
            "WaitingForDependencies", part.displayName() + " waits for the parts it depends on");
      }
      if (dependent.get() instanceof WorkloadChildDependent<?> child
          && !child.isRequested(workload)) {
        continue;
      }
      var failure = workflow.getErroredDependents().get(dependent.get());
      if (failure != null) {
        return PartOutcome.failed(Failure.classify(failure));
      }
      if (workflow.getNotReadyDependents().contains(dependent.get())) {
        return PartOutcome.pending("NotReady", part.displayName() + " is not ready yet");
      }
      // Visited but not reconciled: its CRD appeared while this reconciliation ran; the next one
      // (already queued by the CRD's event) reconciles it.
      if (!workflow.getReconciledDependents().contains(dependent.get())) {
        return PartOutcome.pending("Reconciling", part.displayName() + " is being reconciled");
      }
    }
    if (part == Part.NETWORK_POLICIES) {
      return networkOutcome(workload);
    }
    return PartOutcome.ready("InSync", part.displayName() + " matches the spec");
  }

  /**
   * In sync, but say so when the pods hold AWS permissions that denied egress keeps them from
   * using: the most common surprise of default-deny egress with IRSA.
   */
  private PartOutcome networkOutcome(SecureWorkload workload) {
    var intent = NetworkIntent.of(workload).orElseThrow();
    if (intent.egressRestricted()
        && hasAwsPermissions(workload)
        && !intent.reachesAws(settings.awsApiCidrs())) {
      var why =
          intent.allowAwsApis()
              ? "the platform has configured no AWS API endpoint CIDRs (operator setting SW_AWS_API_CIDRS)"
              : "spec.network.allowAwsApis is false";
      return PartOutcome.ready(
          "InSyncWithoutAwsEgress",
          "NetworkPolicies match the spec, but the workload has IAM permissions while its egress is"
              + " denied and "
              + why
              + ": its pods cannot reach STS or Secrets Manager unless an egress rule allows them.");
    }
    return PartOutcome.ready("InSync", "NetworkPolicies match the spec");
  }

  private static boolean hasAwsPermissions(SecureWorkload workload) {
    var iam = workload.getSpec().getIam();
    boolean statements =
        iam != null && iam.getStatements() != null && !iam.getStatements().isEmpty();
    boolean managed =
        iam != null && iam.getManagedPolicyArns() != null && !iam.getManagedPolicyArns().isEmpty();
    // Secrets are fetched by the CSI driver's provider pod, not by the workload's pods: they need
    // no egress of the workload's own.
    return statements || managed;
  }
}
