package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.DriftSweepMode;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS drift sweep: every period, one look at all of the operator's roles at once, compared with
 * the roles the cached SecureWorkloads were last made to have ({@link RoleStates}). Exactly the
 * workloads whose role is missing or differs in meaning are reconciled (their known role forgotten,
 * so that the reconciliation reads it and repairs it); nothing else costs an AWS call, and event
 * driven reconciliations need not read IAM, since this is what watches AWS.
 *
 * <p>In the default mode a sweep is {@code ListRoles} under the role path plus {@code
 * GetAccountAuthorizationDetails} filtered to roles, each one call per 1,000 roles, and sees every
 * kind of drift; {@link DriftSweepMode#LIST_ROLES} makes only the first, and sees missing roles and
 * changed trust policies, session durations and descriptions.
 *
 * <p>It is an event source of the controller, so it runs only where the controller runs: on the
 * leader. At start it reads the roles once before any reconciliation, so that a restarted operator
 * checks its workloads without a read per role.
 */
public final class AwsDriftSweep extends AbstractEventSource<ListedRole, SecureWorkload> {

  public static final String NAME = "aws-drift-sweep";

  private static final Logger log = LoggerFactory.getLogger(AwsDriftSweep.class);

  private final IamRoles iamRoles;
  private final RoleStates roleStates;
  private final WorkloadRole workloadRole;
  private final String rolePath;
  private final Duration period;
  private final DriftSweepMode mode;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private ScheduledExecutorService scheduler;
  // JOSDK starts every event source on a standby too (only event processing waits for the Lease):
  // a standby must not spend the account's IAM rate, so each run asks first.
  private final BooleanSupplier leading;
  private volatile boolean primed;

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   */
  AwsDriftSweep(Config config, Supplier<Stream<SecureWorkload>> workloads) {
    super(ListedRole.class, NAME);
    this.iamRoles = config.iamRoles();
    this.roleStates = config.roleStates();
    this.workloadRole = config.workloadRole();
    this.rolePath = config.rolePath();
    this.period = config.period();
    this.mode = config.mode();
    this.leading = config.leading();
    this.workloads = workloads;
  }

  /** What the reconciler needs to set a sweep up once the controller gives it its cache. */
  public record Config(
      IamRoles iamRoles,
      RoleStates roleStates,
      WorkloadRole workloadRole,
      String rolePath,
      Duration period,
      DriftSweepMode mode,
      BooleanSupplier leading) {

    AwsDriftSweep eventSource(EventSourceContext<SecureWorkload> context) {
      return new AwsDriftSweep(this, () -> context.getPrimaryCache().list());
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
    if (leading.getAsBoolean()) {
      prime();
      primed = true;
    }
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

  /**
   * One sweep: reconciles each workload whose role is missing or differs in meaning from what it
   * was made to be, and says which those were.
   */
  Set<ResourceID> sweep() {
    long started = roleStates.now();
    var differs =
        mode == DriftSweepMode.AUTHORIZATION_DETAILS ? fromSnapshot(started) : fromListing(started);
    var requeued =
        workloads
            .get()
            .filter(AwsDriftSweep::shouldHaveRole)
            .filter(workload -> differs.test(workloadRole.nameInUse(workload)))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    requeued.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    return requeued;
  }

  /**
   * What a restarted operator knows of its roles before its first reconciliation: with it, a
   * workload whose role already means what it should costs no IAM call. A failure only costs reads.
   */
  void prime() {
    if (mode != DriftSweepMode.AUTHORIZATION_DETAILS) {
      return;
    }
    try {
      long started = roleStates.now();
      iamRoles.snapshot(rolePath).forEach(role -> roleStates.observed(role, started));
    } catch (RuntimeException e) {
      log.warn("AWS drift sweep could not read the roles at start: {}", e.getMessage());
    }
  }

  private Predicate<String> fromSnapshot(long started) {
    var roles = iamRoles.snapshot(rolePath);
    var present = new HashSet<String>();
    var changed = new HashSet<String>();
    for (var role : roles) {
      present.add(role.name());
      if (roleStates.observed(role, started)) {
        changed.add(role.name());
      }
    }
    return name ->
        changed.contains(name) || (!present.contains(name) && roleStates.missing(name, started));
  }

  private Predicate<String> fromListing(long started) {
    var roles = iamRoles.list(rolePath);
    var present = new HashSet<String>();
    var changed = new HashSet<String>();
    for (var role : roles) {
      present.add(role.name());
      if (roleStates.listed(role, started)) {
        changed.add(role.name());
      }
    }
    return name ->
        changed.contains(name) || (!present.contains(name) && roleStates.missing(name, started));
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
    if (!leading.getAsBoolean()) {
      return;
    }
    if (!primed) {
      // Leadership was just gained: remember the roles as they are, as a start would.
      prime();
      primed = true;
      return;
    }
    try {
      var missing = sweep();
      if (!missing.isEmpty()) {
        log.info("AWS drift sweep: IAM role missing or changed for {}, reconciling", missing);
      }
    } catch (RuntimeException e) {
      log.warn("AWS drift sweep failed, next one in {}: {}", period, e.getMessage());
    }
  }
}
