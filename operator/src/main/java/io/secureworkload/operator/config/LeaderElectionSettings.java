package io.secureworkload.operator.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How the replicas elect the one that reconciles: a Lease named {@link #LEASE_NAME} in {@code
 * namespace}, held by {@code identity} (the pod's name).
 *
 * @param enabled off: this instance reconciles at once and alone (the demo, one replica)
 * @param namespace where the Lease lives; empty: the namespace of the client's configuration (in a
 *     pod, its own)
 * @param identity who holds the Lease; the pod name, so {@code kubectl get lease} names the leader
 * @param leaseDuration how long a standby waits for a leader that stopped renewing without
 *     releasing (it crashed)
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod how often the standby tries to acquire, and the leader renews
 */
public record LeaderElectionSettings(
    boolean enabled,
    Optional<String> namespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  /** One Lease per release namespace, so the name is fixed. */
  public static final String LEASE_NAME = "secure-workload-operator";

  // client-go's and JOSDK's defaults: a crashed leader is replaced within 15 s + one retry.
  public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  public LeaderElectionSettings {
    namespace = namespace == null ? Optional.empty() : namespace;
  }

  /** A single instance that reconciles from the start. */
  public static LeaderElectionSettings off() {
    return new LeaderElectionSettings(
        false, Optional.empty(), null, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD);
  }

  /** Elects a leader with the default timings. */
  public static LeaderElectionSettings on(Optional<String> namespace, String identity) {
    return new LeaderElectionSettings(
        true, namespace, identity, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD);
  }

  /** The same election with other timings (tests shorten them). */
  public LeaderElectionSettings withTimings(
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    return new LeaderElectionSettings(
        enabled, namespace, identity, leaseDuration, renewDeadline, retryPeriod);
  }
}
