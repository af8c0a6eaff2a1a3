package io.secureworkload.operator.guardrail;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogued actions a list of a policy's patterns stands for (deniedActions, allowedActions,
 * wildcardResourceActions): a statement's expansion is decided against it by lookup. A catalogue's
 * actions are one instance each, so the sets hold them by identity. Policies are few and their
 * lists change rarely, so each list's set is kept, a bounded number of them, instead of being
 * matched pattern by pattern for every workload.
 */
final class ActionSet {

  private static final int MAX_KEPT = 256;

  private static final Map<List<String>, Set<CatalogueAction>> KEPT =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                Map.Entry<List<String>, Set<CatalogueAction>> eldest) {
              return size() > MAX_KEPT;
            }
          });

  private ActionSet() {}

  static Set<CatalogueAction> of(List<String> patterns, ActionCatalogue catalogue) {
    if (catalogue != ActionCatalogue.bundled()) {
      return expand(patterns, catalogue);
    }
    return KEPT.computeIfAbsent(List.copyOf(patterns), p -> expand(p, catalogue));
  }

  static Set<CatalogueAction> expand(List<String> patterns, ActionCatalogue catalogue) {
    Set<CatalogueAction> actions = Collections.newSetFromMap(new IdentityHashMap<>());
    for (var pattern : patterns) {
      actions.addAll(catalogue.expand(pattern));
    }
    return Collections.unmodifiableSet(actions);
  }
}
