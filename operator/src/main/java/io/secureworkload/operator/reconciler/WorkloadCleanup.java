package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventRecorder;
import io.secureworkload.operator.outcome.PartOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's cleanup: the workflow's deletion, with the status written around it.
 *
 * <p>Why here and not in the IAM role's dependent: JOSDK's managed workflow would throw a failed
 * deletion as an exception before the reconciler sees it (a stack trace and JOSDK's retry, with the
 * status still saying Ready), and a dependent cannot write the status without bypassing the {@link
 * StatusAggregator}. So the reconciler is a Cleaner that invokes the workflow itself: it writes
 * Deleting before the first AWS call, reads the deletion's errors from the workflow's result, and
 * keeps the finalizer with a rescheduled attempt instead of an exception.
 */
final class WorkloadCleanup {

  private static final Logger log = LoggerFactory.getLogger(WorkloadCleanup.class);

  /** Long enough for the informer to see the Deleting status before the deletion's attempt. */
  private static final Duration STATUS_SETTLES = Duration.ofMillis(200);

  private final WorkloadRole workloadRole;
  private final Envelope envelope;
  private final StatusAggregator statusAggregator;

  WorkloadCleanup(WorkloadRole workloadRole, Envelope envelope, StatusAggregator statusAggregator) {
    this.workloadRole = workloadRole;
    this.envelope = envelope;
    this.statusAggregator = statusAggregator;
  }

  /**
   * Deletes what the workload made outside Kubernetes (its IAM role; the Kubernetes children go by
   * their owner references) and says so in the status while it does. The status turns to Deleting
   * before the first AWS call, so it is never Ready while a role is being deleted. A deletion that
   * fails keeps the finalizer, shows its cause (DeletionBlocked, with one Event, when a person must
   * act) and is tried again after a backoff that grows with the deletion's age; there is no
   * exception, so no stack trace and no hot loop.
   */
  DeleteControl cleanup(SecureWorkload workload, Context<SecureWorkload> context) {
    var roleName = workloadRole.nameInUse(workload);
    var retain = workloadRole.retainOnDelete(workload);
    var generation = workload.getMetadata().getGeneration();
    var iamPart = envelope.describe(IamRoleDependentResource.NAME).part();
    var current = workload.getStatus();
    if (!Deletion.isReported(current)) {
      var deleting = Deletion.inProgress(roleName, retain);
      var status =
          statusAggregator.deleting(current, generation, deleting, Map.of(iamPart, deleting));
      // The deletion itself waits for the next attempt: JOSDK removes the finalizer with the
      // resourceVersion it started this attempt with, which the status patch has just changed.
      if (patchStatus(workload, context, current, status)) {
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(STATUS_SETTLES);
      }
    }
    var result = context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    if (!result.erroredDependentsExist() && result.allPostConditionsMet()) {
      return DeleteControl.defaultDelete();
    }
    var parts = new LinkedHashMap<Part, PartOutcome>();
    result
        .getErroredDependents()
        .forEach(
            (dependent, error) ->
                parts.put(
                    envelope.describe(dependent.name()).part(),
                    Deletion.failed(roleName, retain, error)));
    var outcome =
        parts.values().stream()
            .filter(PartOutcome::terminal)
            .findFirst()
            .or(() -> parts.values().stream().findFirst())
            .orElseGet(() -> Deletion.inProgress(roleName, retain));
    var status = statusAggregator.deleting(current, generation, outcome, parts);
    if (outcome.terminal()
        && !Objects.equals(
            SecureWorkloadReconciler.condition(status, StatusAggregator.READY),
            SecureWorkloadReconciler.condition(current, StatusAggregator.READY))) {
      EventRecorder.record(
          context.getClient(),
          workload,
          ConditionReason.DeletionBlocked.failureEvent(),
          outcome.message());
    }
    patchStatus(workload, context, current, status);
    var retry =
        Deletion.retryAfter(
            Instant.parse(workload.getMetadata().getDeletionTimestamp()), Instant.now());
    log.info(
        "Deletion of SecureWorkload {}/{} not done, next attempt in {}s: {}",
        workload.getMetadata().getNamespace(),
        workload.getMetadata().getName(),
        retry.toSeconds(),
        outcome.message());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry);
  }

  /**
   * A status written outside an UpdateControl, since DeleteControl carries none. Losing it loses
   * only words: the deletion goes on, and the next attempt writes it again.
   *
   * @return true when a changed status was written
   */
  private static boolean patchStatus(
      SecureWorkload workload,
      Context<SecureWorkload> context,
      SecureWorkloadStatus previous,
      SecureWorkloadStatus status) {
    if (Objects.equals(status, previous)) {
      return false;
    }
    try {
      context
          .getClient()
          .resource(SecureWorkloadReconciler.withStatus(workload, status))
          .patchStatus();
      return true;
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not write the status of SecureWorkload {}/{}: {}",
          workload.getMetadata().getNamespace(),
          workload.getMetadata().getName(),
          e.getMessage());
      return false;
    }
  }
}
