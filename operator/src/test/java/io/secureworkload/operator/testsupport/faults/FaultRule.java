package io.secureworkload.operator.testsupport.faults;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * When the {@link FaultProxy} injects a {@link Fault}: for which service and operations, at what
 * rate, for how many calls and during which window. Immutable; each {@code with...} method returns
 * a new rule, which does nothing until it is {@linkplain FaultProxy#add(FaultRule) added}.
 *
 * <pre>{@code
 * proxy.add(FaultRule.inject(Fault.throttling()).forOperations("GetRole").withProbability(0.2));
 * proxy.add(FaultRule.inject(Fault.serviceUnavailable()).forService("iam").forDuration(ofMinutes(2)));
 * proxy.add(FaultRule.inject(Fault.accessDenied()).forOperations("DeleteRole").forNextCalls(1));
 * }</pre>
 *
 * @param fault what happens to a picked call
 * @param service the signing name the call must have ({@code iam}), or empty for every service
 * @param operations the operations it applies to ({@code GetRole}), or empty for all of them
 * @param probability the chance that a matching call is picked, drawn from a seeded random
 * @param calls how many calls it picks at most, or empty for no limit
 * @param startAfter how long after it is added it starts picking calls
 * @param duration how long it keeps picking calls once started, or empty for ever
 * @param seed the seed of its random draws, or empty for the proxy's seed
 * @param parameters request parameters the call must carry with these values (query protocol:
 *     {@code RoleArn}, {@code ExternalId}), or empty for any
 */
public record FaultRule(
    Fault fault,
    Optional<String> service,
    Set<String> operations,
    double probability,
    OptionalLong calls,
    Duration startAfter,
    Optional<Duration> duration,
    OptionalLong seed,
    Map<String, String> parameters) {

  public FaultRule {
    Objects.requireNonNull(fault, "fault");
    service = service.map(name -> name.toLowerCase(Locale.ROOT));
    operations = Set.copyOf(operations);
    parameters = Map.copyOf(parameters);
    if (!(probability > 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException("A probability is in (0, 1]: " + probability);
    }
    if (calls.isPresent() && calls.getAsLong() < 1) {
      throw new IllegalArgumentException("A rule picks at least one call: " + calls);
    }
    if (startAfter.isNegative() || duration.filter(Duration::isNegative).isPresent()) {
      throw new IllegalArgumentException("A window cannot be negative");
    }
  }

  /** A rule that picks every call of every service, for ever, until narrowed. */
  public static FaultRule inject(Fault fault) {
    return new FaultRule(
        fault,
        Optional.empty(),
        Set.of(),
        1.0,
        OptionalLong.empty(),
        Duration.ZERO,
        Optional.empty(),
        OptionalLong.empty(),
        Map.of());
  }

  /** Only calls signed for this service, e.g. {@code iam} or {@code sts}. */
  public FaultRule forService(String signingName) {
    return new FaultRule(
        fault,
        Optional.of(signingName),
        operations,
        probability,
        calls,
        startAfter,
        duration,
        seed,
        parameters);
  }

  /** Only these operations, e.g. {@code GetRole}. */
  public FaultRule forOperations(String... names) {
    return new FaultRule(
        fault, service, Set.of(names), probability, calls, startAfter, duration, seed, parameters);
  }

  /** Only calls carrying this request parameter with this value, e.g. {@code RoleArn}. */
  public FaultRule withParameter(String name, String value) {
    var more = new java.util.HashMap<>(parameters);
    more.put(name, value);
    return new FaultRule(
        fault, service, operations, probability, calls, startAfter, duration, seed, more);
  }

  /** Each matching call is picked with this chance, drawn from a seeded random. */
  public FaultRule withProbability(double chance) {
    return new FaultRule(
        fault, service, operations, chance, calls, startAfter, duration, seed, parameters);
  }

  /** The rule picks this many calls, then none. */
  public FaultRule forNextCalls(long count) {
    return new FaultRule(
        fault,
        service,
        operations,
        probability,
        OptionalLong.of(count),
        startAfter,
        duration,
        seed,
        parameters);
  }

  /** The rule picks calls for this long, counted from when it starts. */
  public FaultRule forDuration(Duration window) {
    return new FaultRule(
        fault,
        service,
        operations,
        probability,
        calls,
        startAfter,
        Optional.of(window),
        seed,
        parameters);
  }

  /** The rule starts this long after it is added, e.g. an outage that begins mid-rollout. */
  public FaultRule startingAfter(Duration delay) {
    return new FaultRule(
        fault, service, operations, probability, calls, delay, duration, seed, parameters);
  }

  /** Its own seed instead of the proxy's. */
  public FaultRule withSeed(long value) {
    return new FaultRule(
        fault,
        service,
        operations,
        probability,
        calls,
        startAfter,
        duration,
        OptionalLong.of(value),
        parameters);
  }

  boolean matches(AwsOperation operation) {
    return service.map(operation.service()::equals).orElse(true)
        && (operations.isEmpty() || operations.contains(operation.name()))
        && parameters.entrySet().stream()
            .allMatch(p -> p.getValue().equals(operation.parameters().get(p.getKey())));
  }
}
