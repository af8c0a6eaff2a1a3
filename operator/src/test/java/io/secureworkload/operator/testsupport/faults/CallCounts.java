package io.secureworkload.operator.testsupport.faults;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls a {@link FaultProxy} saw, by operation and outcome. The outcome is {@link #FORWARDED},
 * the code of an injected error ({@code Throttling}, {@code AccessDenied}), {@link
 * #CONNECTION_RESET}, or {@link #UPSTREAM_FAILED}. A call is counted before its answer leaves the
 * proxy, so a test that got the answer sees the count.
 */
public final class CallCounts {

  public static final String FORWARDED = "Forwarded";
  public static final String CONNECTION_RESET = "ConnectionReset";

  /** Moto did not answer; the proxy closed the connection. */
  public static final String UPSTREAM_FAILED = "UpstreamFailed";

  private record Key(String service, String operation, String outcome) {}

  private final ConcurrentMap<Key, LongAdder> calls = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> delayed = new ConcurrentHashMap<>();

  void record(AwsOperation operation, String outcome, boolean wasDelayed) {
    calls
        .computeIfAbsent(
            new Key(operation.service(), operation.name(), outcome), key -> new LongAdder())
        .increment();
    if (wasDelayed) {
      delayed.computeIfAbsent(operation.name(), key -> new LongAdder()).increment();
    }
  }

  /** Every call seen. */
  public long total() {
    return sum(null, null);
  }

  /** Calls of this operation, of any service, whatever their outcome. */
  public long total(String operation) {
    return sum(operation, null);
  }

  /** Calls of this operation with this outcome. */
  public long count(String operation, String outcome) {
    return sum(operation, outcome);
  }

  public long forwarded(String operation) {
    return count(operation, FORWARDED);
  }

  /** Calls of this operation that got a fault instead of moto's answer. */
  public long injected(String operation) {
    return total(operation) - forwarded(operation);
  }

  /** Calls of this operation that a latency rule held back. */
  public long delayed(String operation) {
    LongAdder count = delayed.get(operation);
    return count == null ? 0 : count.sum();
  }

  /** Every count, keyed {@code service:Operation:Outcome}, sorted; for failure messages. */
  public Map<String, Long> snapshot() {
    var snapshot = new TreeMap<String, Long>();
    calls.forEach(
        (key, count) ->
            snapshot.put(key.service() + ":" + key.operation() + ":" + key.outcome(), count.sum()));
    return snapshot;
  }

  public void clear() {
    calls.clear();
    delayed.clear();
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  private long sum(String operation, String outcome) {
    return calls.entrySet().stream()
        .filter(entry -> operation == null || entry.getKey().operation().equals(operation))
        .filter(entry -> outcome == null || entry.getKey().outcome().equals(outcome))
        .mapToLong(entry -> entry.getValue().sum())
        .sum();
  }
}
