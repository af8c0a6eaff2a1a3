package io.secureworkload.operator.dependent;

import io.secureworkload.operator.outcome.ConditionReason;

/**
 * A part of a workload's security envelope as its status reports it: one condition per part,
 * declared by the dependents that make it (several NetworkPolicies make one part).
 *
 * @param conditionType the status condition, for example IAMRoleReady
 * @param displayName what people call the part in messages
 * @param specField the spec field that asks for the part; null for the parts every workload has
 * @param notOwned the reason when an object with the part's name exists and is not ours
 */
public record Part(
    String conditionType, String displayName, String specField, ConditionReason notOwned) {

  /** The message of a part the spec does not ask for. */
  public String notRequestedMessage() {
    return specField == null
        ? displayName + " is not asked for by the spec"
        : specField + " asks for no " + displayName;
  }
}
