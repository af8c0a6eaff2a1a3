package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a SecureWorkload's status from the outcome of each part. The only place that writes
 * conditions: Ready is True only when every part is, and a condition keeps its lastTransitionTime
 * while its status stays the same.
 */
public final class StatusAggregator {

  public static final String READY = "Ready";

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param previous the status as it was, possibly null
   * @param outcomes one entry per part, in any order
   */
  public SecureWorkloadStatus aggregate(
      SecureWorkloadStatus previous,
      long generation,
      Map<Part, PartOutcome> outcomes,
      String roleName,
      String roleArn,
      String serviceAccountName) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var oldConditions = previous == null ? List.<Condition>of() : previous.getConditions();
    var conditions = new ArrayList<Condition>();
    conditions.add(condition(READY, ready(outcomes), generation, now, oldConditions));
    for (var part : Part.values()) {
      var outcome = outcomes.get(part);
      if (outcome != null) {
        conditions.add(condition(part.conditionType(), outcome, generation, now, oldConditions));
      }
    }
    var status = new SecureWorkloadStatus();
    status.setObservedGeneration(generation);
    status.setRoleName(roleName);
    status.setRoleArn(roleArn != null ? roleArn : previous == null ? null : previous.getRoleArn());
    status.setServiceAccountName(serviceAccountName);
    status.setConditions(conditions);
    return status;
  }

  private static PartOutcome ready(Map<Part, PartOutcome> outcomes) {
    for (var part : Part.values()) {
      var outcome = outcomes.get(part);
      if (outcome != null && outcome.isFailure()) {
        return new PartOutcome(
            Condition.FALSE,
            outcome.reason(),
            part.displayName() + ": " + outcome.message(),
            outcome.terminal());
      }
    }
    for (var part : Part.values()) {
      var outcome = outcomes.get(part);
      if (outcome != null && !Condition.TRUE.equals(outcome.status())) {
        return new PartOutcome(
            Condition.FALSE,
            outcome.reason(),
            part.displayName() + ": " + outcome.message(),
            false);
      }
    }
    if (outcomes.isEmpty()) {
      return PartOutcome.pending("Reconciling", "No part has been reconciled yet");
    }
    return PartOutcome.ready(
        "AllPartsReady", "Every part of the workload's security envelope is in sync");
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
        .reason(outcome.reason())
        .message(outcome.message())
        .lastTransitionTime(transition)
        .observedGeneration(generation)
        .build();
  }
}
