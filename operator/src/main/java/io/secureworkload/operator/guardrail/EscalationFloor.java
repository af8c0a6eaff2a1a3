package io.secureworkload.operator.guardrail;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in deny-list that no policy loosens, except by naming single actions in {@code
 * allowEscalationActions}. It is decided on real actions: the groups of {@link
 * DefaultGuardrails#ESCALATION_FLOOR} expanded against the catalogue, plus every action whose
 * access level is Permissions management. A statement pattern is refused when its expansion holds a
 * floor action that not every policy opts out of; since the operator writes the expansion and never
 * the pattern, an opt-out cannot reach an action that did not exist when it was vetted.
 */
final class EscalationFloor {

  private EscalationFloor() {}

  /**
   * Every floor action, lower-cased. A literal entry of the groups stays even when a later
   * catalogue no longer has it: the floor never shrinks.
   */
  static Set<String> actions() {
    return Holder.NAMES;
  }

  static boolean contains(CatalogueAction action) {
    return Holder.ACTIONS.contains(action);
  }

  /** The catalogue's floor actions, by identity. */
  static Set<CatalogueAction> of(ActionCatalogue catalogue) {
    Set<CatalogueAction> floor = Collections.newSetFromMap(new IdentityHashMap<>());
    floor.addAll(ActionSet.expand(DefaultGuardrails.escalationFloor(), catalogue));
    catalogue
        .actions()
        .filter(a -> a.accessLevel() == AccessLevel.PERMISSIONS_MANAGEMENT)
        .forEach(floor::add);
    return Collections.unmodifiableSet(floor);
  }

  private static Set<String> names(Set<CatalogueAction> floor) {
    var names = new TreeSet<String>();
    floor.forEach(a -> names.add(a.fullName().toLowerCase(Locale.ROOT)));
    DefaultGuardrails.escalationFloor().stream()
        .filter(Glob::isLiteralText)
        .forEach(literal -> names.add(literal.toLowerCase(Locale.ROOT)));
    return Collections.unmodifiableSet(names);
  }

  static void check(
      FieldPath field,
      String pattern,
      List<CatalogueAction> expansion,
      Set<String> optOuts,
      Findings findings) {
    IamRules.SomeActions reached = null;
    for (var action : expansion) {
      if (contains(action)
          && (optOuts.isEmpty() || !optOuts.contains(action.fullName().toLowerCase(Locale.ROOT)))) {
        if (reached == null) {
          reached = new IamRules.SomeActions();
        }
        reached.add(action);
      }
    }
    if (reached != null) {
      findings.addAlwaysEnforced(
          field,
          pattern,
          Rule.ESCALATION_ACTION,
          "grants " + reached + ", which the built-in escalation floor denies",
          DefaultGuardrails.DEFAULT_POLICY_NAME);
    }
  }

  private static final class Holder {
    static final Set<CatalogueAction> ACTIONS = of(ActionCatalogue.bundled());
    static final Set<String> NAMES = names(ACTIONS);
  }
}
