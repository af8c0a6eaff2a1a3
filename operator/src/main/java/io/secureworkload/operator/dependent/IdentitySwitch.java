package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.IdentityStatus;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which identity the workload's pods get, and how a switch between IRSA and EKS Pod Identity goes
 * without a moment in which a pod has no usable credentials. Pods get their credential environment
 * when they are admitted, so:
 *
 * <ol>
 *   <li>the role's trust admits both modes first;
 *   <li>then the new identity is made: the association after the role (same reconciliation), or the
 *       ServiceAccount's annotation once the status says the trust admits IRSA (the ServiceAccount
 *       is settled before the role, so that comes one reconciliation later);
 *   <li>from then on ({@code switchedAt}) pods get the new mode, and the old mode's trust
 *       statement, annotation or association stay until no pod from before the switch runs, or
 *       until {@code SW_ROLE_SWITCH_GRACE_PERIOD} has passed.
 * </ol>
 *
 * Computed once per reconciliation, by the first dependent that asks.
 */
public final class IdentitySwitch {

  /** How long to wait for the reconciliation that takes the switch its next step. */
  static final Duration NEXT_STEP = Duration.ofSeconds(1);

  private static final String CONTEXT_KEY = "secureworkload.io/identity-switch";

  /**
   * What this reconciliation writes.
   *
   * @param target the mode the workload should have
   * @param before the mode pods got when this reconciliation started; null for a new workload
   * @param trusted the modes the role's trust admits
   * @param annotate whether the ServiceAccount carries the role's ARN
   * @param associate whether the Pod Identity association exists
   * @param previous the mode still held for pods from before the switch, null when none is
   * @param switchedAt when pods started getting {@code target}, while {@code previous} is held
   * @param recheckAfter when to look again; null when nothing waits
   */
  public record Plan(
      IdentityMode target,
      IdentityMode before,
      Set<IdentityMode> trusted,
      boolean annotate,
      boolean associate,
      IdentityMode previous,
      Instant switchedAt,
      Duration recheckAfter) {

    public Plan {
      trusted = Set.copyOf(trusted);
    }

    /**
     * The mode the SecretProviderClass mounts with: the one pods get as this reconciliation starts.
     */
    public IdentityMode mountMode() {
      return before == null ? target : before;
    }

    /**
     * The identity status once the parts ran.
     *
     * @param roleSynced the role's trust was written (or found) as planned
     * @param associationId the association found or made in this reconciliation, else null
     * @param previousStatus the identity status as it was, possibly null
     */
    public IdentityStatus status(
        boolean roleSynced, String associationId, IdentityStatus previousStatus, Instant now) {
      if (before == null && !roleSynced) {
        // Nothing was made yet: the workload is still new to the next reconciliation.
        return previousStatus;
      }
      var trustedNow =
          roleSynced
              ? ordered(trusted)
              : previousStatus == null ? null : previousStatus.getTrusted();
      boolean complete =
          before == null
              || before == target
              || (target == IdentityMode.PodIdentity
                  ? associationId != null
                  : annotate && roleSynced);
      var mode = complete ? target : before;
      IdentityMode held = previous;
      Instant since = switchedAt;
      if (complete && before != null && before != target) {
        held = before;
        since = now.truncatedTo(ChronoUnit.SECONDS);
      }
      var id =
          associationId != null
              ? associationId
              : associate && previousStatus != null ? previousStatus.getAssociationId() : null;
      return IdentityStatus.builder()
          .mode(mode)
          .trusted(trustedNow)
          .associationId(id)
          .previousMode(held)
          .switchedAt(held == null || since == null ? null : since.toString())
          .build();
    }
  }

  private final PodsBeforeSwitch podsBeforeSwitch;
  private final Admission admission;

  public IdentitySwitch(
      Admission admission, AccountMove.ServiceAccountPods pods, Duration gracePeriod, Clock clock) {
    this.admission = admission;
    this.podsBeforeSwitch = new PodsBeforeSwitch(pods, gracePeriod, clock);
  }

  /** The plan of this reconciliation, if a dependent asked for it. */
  public static Optional<Plan> planned(Context<SecureWorkload> context) {
    return context.managedWorkflowAndDependentResourceContext().get(CONTEXT_KEY, Plan.class);
  }

  /** The plan of this reconciliation; the first dependent that asks makes it. */
  public Plan plan(SecureWorkload workload, Context<SecureWorkload> context) {
    var known = planned(context);
    if (known.isPresent()) {
      return known.get();
    }
    var target =
        Optional.ofNullable(admission.of(workload, context).identityMode())
            .or(() -> Optional.ofNullable(currentMode(workload.getStatus())))
            .orElse(IdentityMode.IRSA);
    var plan = plan(workload, target, context);
    context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, plan);
    return plan;
  }

  Plan plan(SecureWorkload workload, IdentityMode target, Context<SecureWorkload> context) {
    var status = workload.getStatus();
    var before = currentMode(status);
    if (before == null) {
      return holding(target, null, EnumSet.of(target), null, null, null);
    }
    var identity = status.getIdentity();
    var previous = identity == null ? null : identity.getPreviousMode();
    var switchedAt =
        identity == null || identity.getSwitchedAt() == null
            ? null
            : Instant.parse(identity.getSwitchedAt());
    if (before == target) {
      if (previous == null || previous == target || switchedAt == null) {
        return holding(target, before, EnumSet.of(target), null, null, null);
      }
      var wait =
          podsBeforeSwitch.stillNeeded(
              context,
              workload.getMetadata().getNamespace(),
              WorkloadRole.serviceAccountName(workload),
              switchedAt);
      return wait.map(
              w -> holding(target, before, EnumSet.of(target, previous), previous, switchedAt, w))
          .orElseGet(() -> holding(target, before, EnumSet.of(target), null, null, null));
    }
    // A switch starts, or turns back while the target's identity is still held for older pods.
    var both = EnumSet.of(before, target);
    if (previous == target) {
      return holding(target, before, both, null, null, NEXT_STEP);
    }
    boolean trustAdmitsTarget = trusted(status).contains(target);
    boolean annotate =
        before == IdentityMode.IRSA || (target == IdentityMode.IRSA && trustAdmitsTarget);
    return new Plan(target, before, both, annotate, true, null, null, NEXT_STEP);
  }

  private static Plan holding(
      IdentityMode target,
      IdentityMode before,
      Set<IdentityMode> held,
      IdentityMode previous,
      Instant switchedAt,
      Duration recheckAfter) {
    return new Plan(
        target,
        before,
        held,
        held.contains(IdentityMode.IRSA),
        held.contains(IdentityMode.PodIdentity),
        previous,
        switchedAt,
        recheckAfter);
  }

  /**
   * The mode pods get now: as the status says, IRSA for a workload made before there were modes
   * (its status names a role and no mode), none for a workload that has no role yet.
   */
  public static IdentityMode currentMode(SecureWorkloadStatus status) {
    if (status == null) {
      return null;
    }
    if (status.getIdentity() != null && status.getIdentity().getMode() != null) {
      return status.getIdentity().getMode();
    }
    return status.getRoleArn() != null ? IdentityMode.IRSA : null;
  }

  /** The modes the role's trust admitted as of the status. */
  static Set<IdentityMode> trusted(SecureWorkloadStatus status) {
    var identity = status.getIdentity();
    if (identity != null && identity.getTrusted() != null) {
      return identity.getTrusted().isEmpty()
          ? EnumSet.noneOf(IdentityMode.class)
          : EnumSet.copyOf(identity.getTrusted());
    }
    var current = currentMode(status);
    return current == null ? EnumSet.noneOf(IdentityMode.class) : EnumSet.of(current);
  }

  static List<IdentityMode> ordered(Set<IdentityMode> modes) {
    return modes.isEmpty() ? List.of() : EnumSet.copyOf(modes).stream().toList();
  }
}
