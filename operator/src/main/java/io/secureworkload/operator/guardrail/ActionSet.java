package io.secureworkload.operator.guardrail;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
   * What a statement's action patterns grant, each action once and sorted by name, with what the
   * rules and the writer derive from those actions alone: a statement is looked at by every policy
   * and by the writer, and tenants reuse the same few patterns.
   *
   * @param resourceTypes the types the actions act on, each once
   * @param keyActions the KMS actions that act on keys, written apart with the operator's key
   *     conditions
   * @param listActions the bucket listings that take {@code s3:prefix}
   * @param otherActions every action not in {@code keyActions}
   */
  record Granted(
      List<CatalogueAction> actions,
      List<ResourceType> resourceTypes,
      Map<String, List<ResourceType>> byArnService,
      List<ResourceType> openService,
      List<CatalogueAction> keyActions,
      List<CatalogueAction> listActions,
      List<CatalogueAction> otherActions) {

    /**
     * The types whose ARN format may name this service: those of the service, and those whose
     * format leaves the service open.
     */
    List<ResourceType> forService(String service) {
      return byArnService.getOrDefault(service, openService);
    }
  }

  /** By the patterns lower-cased, each once, sorted: however a tenant spells them. */
  private static final Map<List<String>, Granted> GRANTED = keptUpTo(4 * MAX_KEPT);

  /** By the patterns exactly as a statement writes them, so that looking up allocates nothing. */
  private static final Map<List<String>, Granted> AS_WRITTEN = keptUpTo(4 * MAX_KEPT);

  /** Each ARN format of a resource type, as a pattern, parsed once. */
  private static final Map<String, Optional<ArnPattern>> FORMATS = new ConcurrentHashMap<>();

  private ActionSet() {}

  private static <V> Map<List<String>, V> keptUpTo(int entries) {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<List<String>, V> eldest) {
            return size() > entries;
          }
        });
  }

  static Granted granted(List<String> patterns, ActionCatalogue catalogue) {
    if (catalogue != ActionCatalogue.bundled()) {
      return grant(patterns, catalogue);
    }
    var kept = AS_WRITTEN.get(patterns);
    if (kept == null) {
      var key =
          patterns.stream()
              .map(p -> p.toLowerCase(java.util.Locale.ROOT))
              .distinct()
              .sorted()
              .toList();
      kept = GRANTED.computeIfAbsent(key, k -> grant(k, catalogue));
      AS_WRITTEN.put(List.copyOf(patterns), kept);
    }
    return kept;
  }

  /** The ARN format of a resource type as a pattern; empty when it does not parse. */
  static Optional<ArnPattern> format(ResourceType type) {
    var format = FORMATS.get(type.arnFormat());
    if (format == null) {
      format = ArnPattern.parse(type.arnPattern());
      FORMATS.put(type.arnFormat(), format);
    }
    return format;
  }

  private static Granted grant(List<String> patterns, ActionCatalogue catalogue) {
    List<CatalogueAction> actions;
    if (patterns.size() == 1) {
      actions = catalogue.expand(patterns.get(0));
    } else {
      // Each expansion is sorted already, so sorting them one after the other merges them; the
      // catalogue has one instance per action, so a repeated one lands beside itself. No name is
      // made: a wildcard can grant thousands of actions.
      var all = new java.util.ArrayList<CatalogueAction>();
      patterns.forEach(p -> all.addAll(catalogue.expand(p)));
      all.sort(ActionCatalogue::compareFullNames);
      var distinct = new java.util.ArrayList<CatalogueAction>(all.size());
      for (var action : all) {
        if (distinct.isEmpty() || distinct.get(distinct.size() - 1) != action) {
          distinct.add(action);
        }
      }
      actions = List.copyOf(distinct);
    }
    Set<ResourceType> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    var ordered = new java.util.ArrayList<ResourceType>();
    for (var action : actions) {
      for (var type : action.resourceTypes()) {
        if (seen.add(type)) {
          ordered.add(type);
        }
      }
    }
    var named = new java.util.HashMap<String, List<ResourceType>>();
    var open = new java.util.ArrayList<ResourceType>();
    for (var type : ordered) {
      var service = arnService(type);
      if (service.isEmpty()) {
        open.add(type);
      } else {
        named.computeIfAbsent(service, k -> new java.util.ArrayList<>()).add(type);
      }
    }
    var byService = new java.util.HashMap<String, List<ResourceType>>();
    named.forEach(
        (service, ofService) -> {
          var both = new java.util.ArrayList<>(ofService);
          both.addAll(open);
          byService.put(service, List.copyOf(both));
        });
    var keyActions = actions.stream().filter(WrittenPolicy::actsOnKeys).toList();
    return new Granted(
        actions,
        List.copyOf(ordered),
        Map.copyOf(byService),
        List.copyOf(open),
        keyActions,
        actions.stream().filter(ResourceRules::listsUnderPrefix).toList(),
        keyActions.isEmpty()
            ? actions
            : actions.stream().filter(a -> !WrittenPolicy.actsOnKeys(a)).toList());
  }

  /**
   * The service segment of a type's ARN format; empty when the format leaves it open. Mostly the
   * type's own service, which is then not cut out again.
   */
  private static String arnService(ResourceType type) {
    var format = type.arnFormat();
    int afterPartition = format.indexOf(':', "arn:".length());
    int end = afterPartition < 0 ? -1 : format.indexOf(':', afterPartition + 1);
    if (end < 0) {
      return "";
    }
    var own = type.service();
    if (end - afterPartition - 1 == own.length() && format.startsWith(own, afterPartition + 1)) {
      return own;
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
