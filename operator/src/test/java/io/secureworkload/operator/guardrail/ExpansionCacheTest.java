package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpansionCacheTest {

  @Test
  void evictsTheLeastRecentlyUsedByEntriesAndByWeight() {
    var cache = new ExpansionCache(2, 10);
    cache.put("a", List.of(), 1);
    cache.put("b", List.of(), 1);
    cache.get("a");
    cache.put("c", List.of(), 1);
    assertThat(cache.get("b")).as("least recently used").isNull();
    assertThat(cache.get("a")).isNotNull();

    cache.put("d", List.of(), 9);
    assertThat(cache.get("c")).as("over the weight").isNull();
    assertThat(cache.get("a")).as("the weight is full, not over").isNotNull();
    assertThat(cache.get("d")).isNotNull();

    cache.put("heavy", List.of(), 11);
    assertThat(cache.get("heavy")).as("heavier than the whole cache").isNull();
    assertThat(cache.get("d")).isNotNull();

    cache.put("d", List.of(), 2);
    cache.put("e", List.of(), 8);
    assertThat(cache.size()).as("a replaced entry gives its weight back").isEqualTo(2);
  }
}
