package io.secureworkload.operator.guardrail;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The action catalogue's recent expansions, least recently used out first. Bounded by entries and
 * by the actions the results hold, since one expansion can hold thousands: the operator's heap is
 * sized for its workloads, not for a cache.
 */
final class ExpansionCache {

  private record Entry(List<CatalogueAction> actions, int weight) {}

  private final int maxEntries;
  private final int maxWeight;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private int weight;

  ExpansionCache(int maxEntries, int maxWeight) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
  }

  synchronized List<CatalogueAction> get(String key) {
    var entry = entries.get(key);
    return entry == null ? null : entry.actions();
  }

  /**
   * Keeps an expansion. {@code weight} is what it holds of its own: a view of the catalogue's
   * sorted actions weighs 1, a copied list its size.
   */
  synchronized void put(String key, List<CatalogueAction> actions, int weight) {
    if (weight > maxWeight) {
      return;
    }
    var previous = entries.put(key, new Entry(actions, weight));
    this.weight += weight - (previous == null ? 0 : previous.weight());
    var eldest = entries.values().iterator();
    while ((this.weight > maxWeight || entries.size() > maxEntries) && eldest.hasNext()) {
      this.weight -= eldest.next().weight();
      eldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
