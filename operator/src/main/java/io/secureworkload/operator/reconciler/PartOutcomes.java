package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.dependent.CrdBacked;
import io.secureworkload.operator.dependent.CrdWatch;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.outcome.PartOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads how each part of a workload stands from the workflow's result. */
public final class PartOutcomes {

  private final Envelope envelope;

  public PartOutcomes(Envelope envelope) {
    this.envelope = envelope;
  }

  /** One outcome per part, in the workflow's order. */
  public Map<Part, PartOutcome> of(SecureWorkload workload, Context<SecureWorkload> context) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    Map<Part, PartOutcome> outcomes = new LinkedHashMap<>();
    envelope
        .parts()
        .forEach(
            (part, names) -> outcomes.put(part, outcome(part, names, workload, context, result)));
    return outcomes;
  }

  /** True when retrying cannot help: every failure needs a change of the spec or of AWS first. */
  public static boolean allFailuresTerminal(Context<SecureWorkload> context, Exception error) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    if (result.isEmpty()) {
      return error != null && Failure.classify(error).terminal();
    }
    var errors = result.get().getErroredDependents().values();
    return !errors.isEmpty() && errors.stream().allMatch(e -> Failure.classify(e).terminal());
  }

  private PartOutcome outcome(
      Part part,
      List<String> names,
      SecureWorkload workload,
      Context<SecureWorkload> context,
      Optional<WorkflowReconcileResult> result) {
    var requested =
        names.stream().filter(name -> envelope.describe(name).isRequested(workload)).toList();
    if (requested.isEmpty()) {
      return PartOutcome.ready(ConditionReason.NotRequested, part.notRequestedMessage());
    }
    for (var name : requested) {
      if (envelope.describe(name) instanceof CrdBacked crd
          && !CrdWatch.isInstalled(crd.crdName(), context)) {
        return PartOutcome.blocked(
            ConditionReason.CRDNotInstalled,
            "The CustomResourceDefinition "
                + crd.crdName()
                + " is not installed. "
                + crd.installHint());
      }
    }
    if (result.isEmpty()) {
      return PartOutcome.pending(
          ConditionReason.Reconciling, part.displayName() + " has not been reconciled yet");
    }
    var workflow = result.get();
    for (var name : requested) {
      var dependent = workflow.getDependentResourceByName(name);
      if (dependent.isEmpty()) {
        return PartOutcome.pending(
            ConditionReason.WaitingForDependencies,
            part.displayName() + " waits for the parts it depends on");
      }
      var failure = workflow.getErroredDependents().get(dependent.get());
      if (failure != null) {
        return PartOutcome.failed(part.displayName(), Failure.classify(failure));
      }
      if (workflow.getNotReadyDependents().contains(dependent.get())) {
        return PartOutcome.pending(
            ConditionReason.NotReady, part.displayName() + " is not ready yet");
      }
      // Visited but not reconciled: its CRD appeared while this reconciliation ran; the next one
      // (already queued by the CRD's event) reconciles it.
      if (!workflow.getReconciledDependents().contains(dependent.get())) {
        return PartOutcome.pending(
            ConditionReason.Reconciling, part.displayName() + " is being reconciled");
      }
    }
    // A caveat speaks of the part as a whole, so a dependent that is not requested may give it.
    for (var name : names) {
      var caveat = envelope.describe(name).inSyncCaveat(workload);
      if (caveat.isPresent()) {
        return caveat.get();
      }
    }
    return PartOutcome.ready(ConditionReason.InSync, part.displayName() + " matches the spec");
  }
}
