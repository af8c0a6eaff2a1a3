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

  /**
   * What a statement's action patterns grant, each action once and sorted by name, and the resource
   * types those actions act on: a statement is looked at by every policy and by the writer, and
   * tenants reuse the same few patterns.
   */
  record Granted(
      List<CatalogueAction> actions,
      List<ResourceType> resourceTypes,
      Map<String, List<ResourceType>> byArnService) {

    /**
     * The types whose ARN format may name this service: those of the service, and those whose
     * format leaves the service open.
     */
    List<ResourceType> forService(String service) {
      var named = byArnService.getOrDefault(service, List.of());
      var open = byArnService.getOrDefault("", List.of());
      if (open.isEmpty()) {
        return named;
      }
      var both = new java.util.ArrayList<>(named);
      both.addAll(open);
      return both;
    }
  }

  private static final Map<List<String>, Granted> GRANTED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<String>, Granted> eldest) {
              return size() > 4 * MAX_KEPT;
            }
          });

  private ActionSet() {}

  static Granted granted(List<String> patterns, ActionCatalogue catalogue) {
    var key =
        patterns.stream()
            .map(p -> p.toLowerCase(java.util.Locale.ROOT))
            .distinct()
            .sorted()
            .toList();
    if (catalogue != ActionCatalogue.bundled()) {
      return grant(key, catalogue);
    }
    return GRANTED.computeIfAbsent(key, k -> grant(k, catalogue));
  }

  private static Granted grant(List<String> patterns, ActionCatalogue catalogue) {
    List<CatalogueAction> actions;
    if (patterns.size() == 1) {
      actions = catalogue.expand(patterns.get(0));
    } else {
      var sorted = new java.util.TreeMap<String, CatalogueAction>();
      patterns.forEach(p -> catalogue.expand(p).forEach(a -> sorted.putIfAbsent(a.fullName(), a)));
      actions = List.copyOf(sorted.values());
    }
    Set<ResourceType> types = Collections.newSetFromMap(new IdentityHashMap<>());
    var ordered = new java.util.ArrayList<ResourceType>();
    for (var action : actions) {
      for (var type : action.resourceTypes()) {
        if (types.add(type)) {
          ordered.add(type);
        }
      }
    }
    var byService = new java.util.HashMap<String, List<ResourceType>>();
    for (var type : ordered) {
      byService
          .computeIfAbsent(arnService(type.arnFormat()), k -> new java.util.ArrayList<>())
          .add(type);
    }
    return new Granted(actions, List.copyOf(ordered), Map.copyOf(byService));
  }

  /** The service segment of an ARN format; empty when the format leaves it open. */
  private static String arnService(String format) {
    int afterPartition = format.indexOf(':', "arn:".length());
    int end = afterPartition < 0 ? -1 : format.indexOf(':', afterPartition + 1);
    if (end < 0) {
      return "";
    }
    var segment = format.substring(afterPartition + 1, end);
    return segment.contains("$") || segment.contains("*") ? "" : segment;
  }

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
