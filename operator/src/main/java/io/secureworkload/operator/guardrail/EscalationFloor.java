package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in deny-list that no policy loosens, except by naming single actions in {@code
 * allowEscalationActions}: a wildcard that reaches a floor action is refused even then, since no
 * list of names can vouch for every action it may match.
 */
final class EscalationFloor {

  private static final List<ActionPattern> FLOOR =
      DefaultGuardrails.escalationFloor().stream().map(ActionPattern::of).toList();

  private EscalationFloor() {}

  static void check(SecureWorkloadSpec spec, Set<String> optOuts, Findings findings) {
    IamRules.forEachAllowAction(
        spec,
        (field, action) ->
            FLOOR.stream()
                .filter(floor -> floor.overlaps(action))
                .filter(floor -> !optedOut(action, optOuts))
                .findFirst()
                .ifPresent(
                    floor ->
                        findings.addAlwaysEnforced(
                            field,
                            action.text(),
                            Rule.ESCALATION_ACTION,
                            "may grant "
                                + floor.text()
                                + ", which the built-in escalation floor denies",
                            DefaultGuardrails.DEFAULT_POLICY_NAME)));
  }

  private static boolean optedOut(ActionPattern action, Set<String> optOuts) {
    return action.isLiteral() && optOuts.contains(action.text().toLowerCase(Locale.ROOT));
  }
}
