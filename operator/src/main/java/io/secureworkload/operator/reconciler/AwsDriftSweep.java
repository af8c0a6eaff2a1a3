package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS drift sweep: every period, one look at all of the operator's roles at once (ListRoles
 * under the operator's role path, one call per 1,000 roles), compared with the roles the cached
 * SecureWorkloads should have. Exactly the workloads whose role is missing are reconciled, and
 * their reconciliation creates the role again; nothing else costs an AWS call. Without it a role
 * deleted in the console would wait for the resync ({@code SW_RESYNC_PERIOD}, an hour).
 *
 * <p>It is an event source of the controller, so it runs only where the controller runs: on the
 * leader. The comparison is where the batched sweep grows: ListRoles also returns trust policies,
 * session durations and descriptions, and more differences than a missing role can re-queue a
 * workload the same way.
 */
public final class AwsDriftSweep extends AbstractEventSource<ListedRole, SecureWorkload> {

  public static final String NAME = "aws-drift-sweep";

  private static final Logger log = LoggerFactory.getLogger(AwsDriftSweep.class);

  private final IamRoles iamRoles;
  private final WorkloadRole workloadRole;
  private final String rolePath;
  private final Duration period;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private ScheduledExecutorService scheduler;

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   */
  AwsDriftSweep(
      IamRoles iamRoles,
      WorkloadRole workloadRole,
      String rolePath,
      Duration period,
      Supplier<Stream<SecureWorkload>> workloads) {
    super(ListedRole.class, NAME);
    this.iamRoles = iamRoles;
    this.workloadRole = workloadRole;
    this.rolePath = rolePath;
    this.period = period;
    this.workloads = workloads;
  }

  /** What the reconciler needs to set a sweep up once the controller gives it its cache. */
  public record Config(
      IamRoles iamRoles, WorkloadRole workloadRole, String rolePath, Duration period) {

    AwsDriftSweep eventSource(EventSourceContext<SecureWorkload> context) {
      return new AwsDriftSweep(
          iamRoles, workloadRole, rolePath, period, () -> context.getPrimaryCache().list());
    }
  }

  @Override
  public synchronized void start() {
    super.start();
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              var thread = new Thread(task, NAME);
              thread.setDaemon(true);
              return thread;
            });
    // The first sweep waits a period: at start every workload is reconciled anyway.
    scheduler.scheduleWithFixedDelay(
        this::sweepAndReport, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    super.stop();
  }

  /** The roles a sweep compares are AWS's, not cached here: a workload has none to look up. */
  @Override
  public Set<ListedRole> getSecondaryResources(SecureWorkload primary) {
    return Set.of();
  }

  /** One sweep: reconciles each workload whose role is missing, and says which those were. */
  Set<ResourceID> sweep() {
    var present =
        iamRoles.list(rolePath).stream().map(ListedRole::name).collect(Collectors.toSet());
    var missing =
        workloads
            .get()
            .filter(AwsDriftSweep::shouldHaveRole)
            .filter(workload -> !present.contains(workloadRole.nameInUse(workload)))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    missing.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    return missing;
  }

  /**
   * A workload whose status names its role had one. A workload still on its way there, being
   * deleted, or whose role name belongs to a role that is not its own (no ARN in the status) is
   * reconciled for other reasons already, or must not be.
   */
  private static boolean shouldHaveRole(SecureWorkload workload) {
    return !workload.isMarkedForDeletion()
        && workload.getStatus() != null
        && workload.getStatus().getRoleArn() != null;
  }

  /** A failed sweep is one line in the log; the next one comes a period later. */
  private void sweepAndReport() {
    try {
      var missing = sweep();
      if (!missing.isEmpty()) {
        log.info("AWS drift sweep: IAM role missing for {}, reconciling", missing);
      }
    } catch (RuntimeException e) {
      log.warn("AWS drift sweep failed, next one in {}: {}", period, e.getMessage());
    }
  }
}
