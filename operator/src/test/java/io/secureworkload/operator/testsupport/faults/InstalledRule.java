package io.secureworkload.operator.testsupport.faults;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A {@link FaultRule} at work in a {@link FaultProxy}: its window fixed from when it was added, its
 * own random draws, and how many calls it picked.
 */
public final class InstalledRule {

  private final FaultRule rule;
  private final Clock clock;
  private final Instant opensAt;
  private final Optional<Instant> closesAt;
  private final Consumer<InstalledRule> remover;
  // Draws happen only for calls the rule would otherwise pick, under this object's lock, so the
  // same seed and the same sequence of calls give the same picks.
  private final Random random;
  private long picked;

  InstalledRule(FaultRule rule, long proxySeed, Clock clock, Consumer<InstalledRule> remover) {
    this.rule = rule;
    this.clock = clock;
    this.opensAt = clock.instant().plus(rule.startAfter());
    this.closesAt = rule.duration().map(opensAt::plus);
    this.remover = remover;
    this.random = new Random(rule.seed().orElse(proxySeed));
  }

  public FaultRule rule() {
    return rule;
  }

  /** How many calls this rule has picked so far. */
  public synchronized long picked() {
    return picked;
  }

  /** True once the rule can pick no more calls: its window closed or its calls used up. */
  public synchronized boolean isSpent() {
    return closesAt.filter(end -> !clock.instant().isBefore(end)).isPresent() || callsUsedUp();
  }

  /** Takes the rule out of its proxy; calls already held by it finish as decided. */
  public void remove() {
    remover.accept(this);
  }

  synchronized boolean picks(AwsOperation operation) {
    if (!rule.matches(operation) || callsUsedUp()) {
      return false;
    }
    Instant now = clock.instant();
    if (now.isBefore(opensAt) || closesAt.filter(end -> !now.isBefore(end)).isPresent()) {
      return false;
    }
    if (rule.probability() < 1.0 && random.nextDouble() >= rule.probability()) {
      return false;
    }
    picked++;
    return true;
  }

  private boolean callsUsedUp() {
    return rule.calls().isPresent() && picked >= rule.calls().getAsLong();
  }

  @Override
  public synchronized String toString() {
    return rule + " picked " + picked;
  }
}
