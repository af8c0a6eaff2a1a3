package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.dependent.WorkloadChanges;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventReason;
import io.secureworkload.operator.outcome.EventRecorder;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Events of one reconciliation, recorded once its status is known: at most one Normal Event,
 * for a change a person should see, however many objects it touched; a Warning per change of Ready
 * to a failure and per change of the audit findings, never one per retry. A reconciliation that
 * changed nothing records nothing.
 */
final class WorkloadEvents {

  private final Envelope envelope;

  WorkloadEvents(Envelope envelope) {
    this.envelope = envelope;
  }

  /**
   * @param workload the workload as this reconciliation found it, with the status before it
   * @param admitted the workload as the guardrails admit it, which names the objects
   * @param status the status this reconciliation arrived at
   */
  void record(
      SecureWorkload workload,
      SecureWorkload admitted,
      SecureWorkloadStatus status,
      Context<SecureWorkload> context) {
    recordIfReadyFailed(workload, status, context);
    recordIfAuditChanged(workload, status, context);
    recordChanges(workload, admitted, status, context);
  }

  /**
   * Ready when Ready turned True, naming what the workload is made of; otherwise DriftRepaired when
   * something was put back after a change made outside the operator, else Updated when the spec's
   * change created, updated or deleted something. Each lists the objects it touched.
   */
  private void recordChanges(
      SecureWorkload workload,
      SecureWorkload admitted,
      SecureWorkloadStatus status,
      Context<SecureWorkload> context) {
    var changes = WorkloadChanges.in(context);
    var order = SecureWorkloadReconciler.DEPENDENTS;
    var readyBefore = isReady(workload.getStatus());
    var readyNow = isReady(status);
    if (readyNow && !readyBefore) {
      // What was created is among what the workload is made of, named first.
      var others = changes.except(WorkloadChanges.Kind.CREATED);
      var message =
          "Ready: "
              + madeOf(admitted, context)
              + (others.isEmpty() ? "" : ". " + others.describe(order));
      // Two reconciliations that both start from the status before Ready turned True would each
      // see the turn: the Event is named after the turn, so that only one is recorded.
      EventRecorder.recordOnce(
          context.getClient(), workload, EventReason.Ready, message, readySince(workload));
      return;
    }
    // Until the workload is Ready, what was created waits for the Ready Event, which names it: a
    // new workload gets one Event, however many attempts it took.
    var told = readyNow ? changes : changes.except(WorkloadChanges.Kind.CREATED);
    if (told.any(WorkloadChanges.Kind.REPAIRED)) {
      EventRecorder.record(
          context.getClient(), workload, EventReason.DriftRepaired, told.describe(order));
    } else if (!told.isEmpty()) {
      EventRecorder.record(
          context.getClient(), workload, EventReason.Updated, told.describe(order));
    }
  }

  /**
   * Part by part, the objects the spec asks for, for example "IAM role arn:aws:iam::...,
   * ServiceAccount api, NetworkPolicies api-default-deny, api-ingress, api-egress".
   */
  private String madeOf(SecureWorkload admitted, Context<SecureWorkload> context) {
    return envelope.parts().entrySet().stream()
        .map(
            part -> {
              var names =
                  part.getValue().stream()
                      .map(envelope::describe)
                      .filter(dependent -> dependent.isRequested(admitted))
                      .map(dependent -> dependent.objectName(admitted, context))
                      .flatMap(Optional::stream)
                      .toList();
              return names.isEmpty()
                  ? null
                  : part.getKey().displayName() + " " + String.join(", ", names);
            })
        .filter(Objects::nonNull)
        .collect(Collectors.joining(", "));
  }

  /** The turn to Ready, told apart by when Ready last changed before it. */
  private static String readySince(SecureWorkload workload) {
    var status = workload.getStatus();
    var ready =
        status == null
            ? null
            : status.getConditions().stream()
                .filter(c -> StatusAggregator.READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    return "from "
        + (ready == null ? "none" : ready.getStatus() + " at " + ready.getLastTransitionTime());
  }

  private static boolean isReady(SecureWorkloadStatus status) {
    var ready = SecureWorkloadReconciler.condition(status, StatusAggregator.READY);
    return ready != null && Condition.TRUE.equals(ready.getStatus());
  }

  /** One Warning Event per change of the audit findings: Audit mode reports, it never blocks. */
  private static void recordIfAuditChanged(
      SecureWorkload workload, SecureWorkloadStatus status, Context<SecureWorkload> context) {
    var now = SecureWorkloadReconciler.condition(status, StatusAggregator.GUARDRAIL_COMPLIANT);
    if (now == null || !ConditionReason.GuardrailAudit.name().equals(now.getReason())) {
      return;
    }
    if (!Objects.equals(
        now,
        SecureWorkloadReconciler.condition(
            workload.getStatus(), StatusAggregator.GUARDRAIL_COMPLIANT))) {
      EventRecorder.record(
          context.getClient(), workload, EventReason.GuardrailAudit, now.getMessage());
    }
  }

  /**
   * One Warning Event per change of the Ready condition to a failure, not one per retry: a conflict
   * that lasts is one Event.
   */
  private static void recordIfReadyFailed(
      SecureWorkload workload, SecureWorkloadStatus status, Context<SecureWorkload> context) {
    var ready = SecureWorkloadReconciler.condition(status, StatusAggregator.READY);
    if (ready == null || !Condition.FALSE.equals(ready.getStatus())) {
      return;
    }
    if (!Objects.equals(
        ready, SecureWorkloadReconciler.condition(workload.getStatus(), StatusAggregator.READY))) {
      var reason = ConditionReason.valueOf(ready.getReason()).failureEvent();
      EventRecorder.record(context.getClient(), workload, reason, ready.getMessage());
    }
  }
}
