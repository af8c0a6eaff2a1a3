package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a pod that started before a switch still runs as the workload's ServiceAccount: such a
 * pod got its credential environment (a role's ARN, or the Pod Identity agent) when it was
 * admitted, and keeps it until it restarts. What it holds goes when none runs, or once the grace
 * period has passed since the switch.
 *
 * <p>The pods are listed once per look, not watched: a switch is rare, and a pod informer would
 * keep every pod of the cluster in memory for it.
 */
final class PodsBeforeSwitch {

  /** The longest wait between two looks at the pods that still hold what the switch replaced. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

  private final AccountMove.ServiceAccountPods pods;
  private final Duration gracePeriod;
  private final Clock clock;

  PodsBeforeSwitch(AccountMove.ServiceAccountPods pods, Duration gracePeriod, Clock clock) {
    this.pods = pods;
    this.gracePeriod = gracePeriod;
    this.clock = clock;
  }

  /**
   * How long what the switch replaced must still stay, looking again at least once a minute; empty
   * when it may go.
   */
  Optional<Duration> stillNeeded(
      Context<SecureWorkload> context,
      String namespace,
      String serviceAccount,
      Instant switchedAt) {
    var graceLeft = Duration.between(Instant.now(clock), switchedAt.plus(gracePeriod));
    if (graceLeft.isNegative() || graceLeft.isZero()) {
      return Optional.empty();
    }
    var holdsOld =
        pods.list(context, namespace, serviceAccount).stream()
            .anyMatch(pod -> running(pod) && !createdAt(pod).isAfter(switchedAt));
    if (!holdsOld) {
      return Optional.empty();
    }
    return Optional.of(graceLeft.compareTo(LONGEST_WAIT) < 0 ? graceLeft : LONGEST_WAIT);
  }

  private static boolean running(Pod pod) {
    var phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static Instant createdAt(Pod pod) {
    var created = pod.getMetadata().getCreationTimestamp();
    return created == null ? Instant.MIN : Instant.parse(created);
  }
}
