package io.secureworkload.operator.iam;

import io.secureworkload.operator.config.DriftSweepMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What the operator knows of each of its roles without asking IAM: the role as last read, written
 * or seen by the AWS drift sweep, and the desired role it was last made to mean. A reconciliation
 * whose desired role the known role already means makes no IAM call; the sweep is what watches AWS,
 * and forgets a role it finds changed or missing, so that the next reconciliation reads it.
 *
 * <p>Knowledge older than {@code trustedFor} is not trusted (the resync then reads every role whose
 * sweep could not vouch for it), and at most {@link #MAX_ENTRIES} roles are kept, the least
 * recently used forgotten first: forgetting costs a read, never a wrong decision.
 */
public final class RoleStates {

  /** Twice IAM's largest roles-per-account quota (5,000). */
  public static final int MAX_ENTRIES = 10_000;

  private final Duration trustedFor;
  private final LongSupplier nanoClock;
  private final Map<String, State> states =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /**
   * @param desired the desired role the role was last found or made to mean; null when only the
   *     sweep has seen it since this process started
   * @param at when IAM last vouched for it, on {@link #now()}'s clock
   */
  private record State(DesiredRole desired, ActualRole role, long at) {}

  /**
   * How long knowledge stays trusted: 90 % of the resync, so that a resync reads every role no
   * sweep vouched for; and, where the sweep sees every kind of drift, also as long as the sweep
   * keeps vouching (two and a half of its periods: one sweep may fail). Without the second, a
   * resync no longer than the sweep period would re-read every role in the gap between the two.
   */
  public static Duration trustHorizon(Duration resync, Duration sweep, DriftSweepMode mode) {
    var resyncHorizon = resync.multipliedBy(9).dividedBy(10);
    if (mode != DriftSweepMode.AUTHORIZATION_DETAILS) {
      return resyncHorizon;
    }
    var sweepHorizon = sweep.multipliedBy(5).dividedBy(2);
    return resyncHorizon.compareTo(sweepHorizon) >= 0 ? resyncHorizon : sweepHorizon;
  }

  public RoleStates(Duration trustedFor) {
    this(trustedFor, System::nanoTime);
  }

  RoleStates(Duration trustedFor, LongSupplier nanoClock) {
    this.trustedFor = trustedFor;
    this.nanoClock = nanoClock;
  }

  /** The clock a sweep reads before it starts listing, to hand to {@link #observed}. */
  public long now() {
    return nanoClock.getAsLong();
  }

  /**
   * The known role, when it already means the desired one (trust, policies, boundary, session,
   * description, and our ownership tags): nothing to read, nothing to write.
   */
  public synchronized Optional<ActualRole> matching(DesiredRole desired) {
    var state = trusted(desired.name());
    if (state == null) {
      return Optional.empty();
    }
    if (!desired.equals(state.desired())) {
      if (!RolePlanner.changes(desired, state.role()).isEmpty()) {
        return Optional.empty();
      }
      states.put(desired.name(), new State(desired, state.role(), state.at()));
    }
    return Optional.of(state.role());
  }

  /** The known role, if it is recent enough to be trusted: what a deletion needs to know. */
  public synchronized Optional<ActualRole> known(String roleName) {
    return Optional.ofNullable(trusted(roleName)).map(State::role);
  }

  /** Whether nothing at all is known of the role, not even that it exists. */
  public synchronized boolean unknown(String roleName) {
    return !states.containsKey(roleName);
  }

  /** The role read from IAM just now means the desired one. */
  public synchronized void read(DesiredRole desired, ActualRole role) {
    states.put(role.name(), new State(desired, role, now()));
  }

  /** The role has just been created, or changed to mean the desired one. */
  public synchronized void written(DesiredRole desired, ActualRole before) {
    states.put(before.name(), new State(desired, RolePlanner.applied(desired, before), now()));
  }

  /**
   * A role with the workload's name that is not the workload's: it matches no desired role, a
   * reconciliation looks at it rather than trying to create it, and a deletion leaves it.
   */
  public synchronized void foreign(ActualRole role) {
    states.put(role.name(), new State(null, role, now()));
  }

  /** After a failure or a deletion: the next reconciliation reads the role. */
  public synchronized void forget(String roleName) {
    states.remove(roleName);
  }

  /**
   * The sweep saw this role as it is in IAM. Returns whether it differs in meaning from the desired
   * role it was last made to mean; then it is forgotten, and its workload must be reconciled.
   *
   * @param sweepStarted when the sweep started listing: what was read or written since is newer
   *     than what the sweep saw, and stays
   */
  public synchronized boolean observed(ActualRole role, long sweepStarted) {
    var state = states.get(role.name());
    if (state != null && state.at() - sweepStarted > 0) {
      return false;
    }
    if (state == null || state.desired() == null) {
      states.put(role.name(), new State(null, role, sweepStarted));
      return false;
    }
    if (!RolePlanner.changes(state.desired(), role).isEmpty()) {
      states.remove(role.name());
      return true;
    }
    states.put(role.name(), new State(state.desired(), role, sweepStarted));
    return false;
  }

  /**
   * The sweep listed this role (ListRoles: trust, session duration, description, nothing else).
   * Returns whether those differ in meaning from the desired role; then it is forgotten. A listing
   * cannot vouch for the policies, so it does not make the known role any more recent.
   */
  public synchronized boolean listed(ListedRole role, long sweepStarted) {
    var state = states.get(role.name());
    if (state == null || state.desired() == null || state.at() - sweepStarted > 0) {
      return false;
    }
    var desired = state.desired();
    boolean same =
        PolicyDocuments.equivalent(desired.trustPolicy(), role.trustPolicy())
            && desired.maxSessionDurationSeconds() == role.maxSessionDurationSeconds()
            && Objects.equals(desired.description(), emptyToNull(role.description()));
    if (!same) {
      states.remove(role.name());
    }
    return !same;
  }

  /**
   * The sweep did not find the role. Returns whether it is missing rather than made since the sweep
   * started listing; then it is forgotten.
   */
  public synchronized boolean missing(String roleName, long sweepStarted) {
    var state = states.get(roleName);
    if (state != null && state.at() - sweepStarted > 0) {
      return false;
    }
    states.remove(roleName);
    return true;
  }

  public synchronized int size() {
    return states.size();
  }

  private State trusted(String roleName) {
    var state = states.get(roleName);
    if (state == null || now() - state.at() >= trustedFor.toNanos()) {
      return null;
    }
    return state;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
