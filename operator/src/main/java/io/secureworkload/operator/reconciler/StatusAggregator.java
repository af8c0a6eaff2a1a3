package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.IdentityStatus;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.AccountMove;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.outcome.PartOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a SecureWorkload's status from the outcome of each part. The only place that writes
 * conditions: Ready is True only when every part is, and a condition keeps its lastTransitionTime
 * while its status stays the same.
 *
 * <p>Besides Ready, the kstatus conditions: whenever Ready is not True, exactly one of Reconciling
 * (work pending or being retried) and Stalled (a failure that waits for a person) is True. kstatus
 * ignores Ready on custom resources, so without them a failed workload would read as Current.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String GUARDRAIL_COMPLIANT = "GuardrailCompliant";

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** The status of a reconciliation that tells nothing of a move: a role left behind is kept. */
  public SecureWorkloadStatus aggregate(
      SecureWorkloadStatus previous,
      long generation,
      Optional<GuardrailStanding> guardrails,
      Map<Part, PartOutcome> outcomes,
      Optional<Failure> failure,
      String roleName,
      String roleArn,
      String serviceAccountName) {
    return aggregate(
        previous,
        generation,
        guardrails,
        outcomes,
        failure,
        roleName,
        roleArn,
        Optional.empty(),
        previous == null ? null : previous.getIdentity(),
        serviceAccountName);
  }

  /**
   * @param previous the status as it was, possibly null
   * @param guardrails how the spec stands against its guardrails, when that could be decided
   * @param outcomes one entry per part, in the order the conditions are listed
   * @param failure a failure that no part can be blamed for, such as one before the workflow ran
   * @param move how a move to another account stands, when the role's part got that far; else the
   *     role left behind is carried forward
   * @param identity the identity mode in effect and a switch under way ({@link
   *     io.secureworkload.operator.dependent.IdentitySwitch})
   */
  public SecureWorkloadStatus aggregate(
      SecureWorkloadStatus previous,
      long generation,
      Optional<GuardrailStanding> guardrails,
      Map<Part, PartOutcome> outcomes,
      Optional<Failure> failure,
      String roleName,
      String roleArn,
      Optional<AccountMove.Step> move,
      IdentityStatus identity,
      String serviceAccountName) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var oldConditions = previous == null ? List.<Condition>of() : previous.getConditions();
    var ready =
        failure
            .map(f -> PartOutcome.failed("SecureWorkload", f))
            .or(
                () ->
                    guardrails.filter(GuardrailStanding::enforced).map(g -> failed(g.condition())))
            .orElseGet(() -> ready(outcomes));
    var conditions = readyTriple(ready, generation, now, oldConditions);
    guardrails.ifPresent(
        g ->
            conditions.add(
                condition(GUARDRAIL_COMPLIANT, g.condition(), generation, now, oldConditions)));
    outcomes.forEach(
        (part, outcome) ->
            conditions.add(
                condition(part.conditionType(), outcome, generation, now, oldConditions)));
    var status = new SecureWorkloadStatus();
    status.setObservedGeneration(generation);
    status.setRoleName(roleName);
    var arn = roleArn != null ? roleArn : previous == null ? null : previous.getRoleArn();
    status.setRoleArn(arn);
    status.setPreviousRole(AccountMove.previousRole(move, previous, arn));
    status.setIdentity(identity);
    status.setServiceAccountName(serviceAccountName);
    status.setConditions(conditions);
    return status;
  }

  /**
   * Ready, then Reconciling and Stalled as kstatus reads them: whenever Ready is not True, exactly
   * one of the two is, by whether the failure is terminal.
   */
  private List<Condition> readyTriple(
      PartOutcome ready, long generation, String now, List<Condition> oldConditions) {
    var conditions = new ArrayList<Condition>();
    conditions.add(condition(READY, ready, generation, now, oldConditions));
    conditions.add(
        condition(RECONCILING, kstatus(ready, !ready.terminal()), generation, now, oldConditions));
    conditions.add(
        condition(STALLED, kstatus(ready, ready.terminal()), generation, now, oldConditions));
    return conditions;
  }

  /**
   * The status while the finalizer runs. Ready is False whatever the parts said, with the
   * deletion's reason; Reconciling or Stalled says whether the operator is at it or waits for a
   * person. The parts keep the conditions of their last reconciliation, except those the deletion
   * is about.
   *
   * @param deletion {@link ConditionReason#Deleting}, or a blocked outcome ({@link
   *     ConditionReason#DeletionBlocked}) for a deletion that waits for a change in AWS
   * @param parts new conditions of the parts the deletion is about, such as the IAM role's
   */
  public SecureWorkloadStatus deleting(
      SecureWorkloadStatus previous,
      long generation,
      PartOutcome deletion,
      Map<Part, PartOutcome> parts) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var oldConditions = previous == null ? List.<Condition>of() : previous.getConditions();
    var ready =
        new PartOutcome(
            Condition.FALSE, deletion.reason(), deletion.message(), deletion.terminal());
    var conditions = readyTriple(ready, generation, now, oldConditions);
    var replaced = new LinkedHashMap<String, PartOutcome>();
    parts.forEach((part, outcome) -> replaced.put(part.conditionType(), outcome));
    for (var old : oldConditions) {
      var type = old.getType();
      if (READY.equals(type) || RECONCILING.equals(type) || STALLED.equals(type)) {
        continue;
      }
      var outcome = replaced.remove(type);
      conditions.add(
          outcome == null ? old : condition(type, outcome, generation, now, oldConditions));
    }
    replaced.forEach(
        (type, outcome) ->
            conditions.add(condition(type, outcome, generation, now, oldConditions)));
    var status = new SecureWorkloadStatus();
    status.setObservedGeneration(generation);
    if (previous != null) {
      status.setRoleName(previous.getRoleName());
      status.setRoleArn(previous.getRoleArn());
      status.setPreviousRole(previous.getPreviousRole());
      status.setIdentity(previous.getIdentity());
      status.setServiceAccountName(previous.getServiceAccountName());
    }
    status.setConditions(conditions);
    return status;
  }

  /** The first failing part, else the first part not yet ready, else all ready. */
  private static PartOutcome ready(Map<Part, PartOutcome> outcomes) {
    var notReady =
        outcomes.values().stream()
            .filter(PartOutcome::isFailure)
            .findFirst()
            .or(() -> outcomes.values().stream().filter(o -> !o.isReady()).findFirst());
    if (notReady.isPresent()) {
      var outcome = notReady.get();
      return new PartOutcome(
          Condition.FALSE, outcome.reason(), outcome.message(), outcome.terminal());
    }
    if (outcomes.isEmpty()) {
      return PartOutcome.pending(ConditionReason.Reconciling, "No part has been reconciled yet");
    }
    return PartOutcome.ready(
        ConditionReason.AllPartsReady, "Every part of the workload's security envelope is in sync");
  }

  private static PartOutcome failed(PartOutcome outcome) {
    return new PartOutcome(
        Condition.FALSE, outcome.reason(), outcome.message(), outcome.terminal());
  }

  /** Reconciling or Stalled: True with Ready's reason when it applies, else False. */
  private static PartOutcome kstatus(PartOutcome ready, boolean applies) {
    if (!ready.isReady() && applies) {
      return new PartOutcome(Condition.TRUE, ready.reason(), ready.message(), ready.terminal());
    }
    String message;
    if (ready.isReady()) {
      message = "Nothing is pending";
    } else if (ready.terminal()) {
      message = "Retrying cannot help until the spec or AWS changes: see Stalled";
    } else {
      message = "The operator is still working on it: see Reconciling";
    }
    return new PartOutcome(Condition.FALSE, ready.reason(), message, false);
  }

  private static Condition condition(
      String type,
      PartOutcome outcome,
      long generation,
      String now,
      List<Condition> oldConditions) {
    var old = oldConditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    var transition =
        old.filter(c -> Objects.equals(c.getStatus(), outcome.status()))
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    return Condition.builder()
        .type(type)
        .status(outcome.status())
        .reason(outcome.reason().name())
        .message(outcome.message())
        .lastTransitionTime(transition)
        .observedGeneration(generation)
        .build();
  }
}
