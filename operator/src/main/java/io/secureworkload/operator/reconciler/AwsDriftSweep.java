package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.DriftSweepMode;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS drift sweep: every period, one look at all of the operator's roles at once, for two
 * purposes. It is compared with the roles the cached SecureWorkloads were last made to have ({@link
 * RoleStates}): exactly the workloads whose role is missing or differs in meaning are reconciled
 * (their known role forgotten, so that the reconciliation reads it and repairs it); nothing else
 * costs an AWS call, and event driven reconciliations need not read IAM, since this is what watches
 * AWS. Then the same roles are handed to the {@link OrphanRoleSweep}, which finds those whose
 * SecureWorkload is gone. A failure of either part is one line in the log and spares the other.
 *
 * <p>What a sweep costs: in the default mode, {@code ListRoles} under the role path plus {@code
 * GetAccountAuthorizationDetails} filtered to roles, each one call per 1,000 roles; it sees every
 * kind of drift, and the orphans are judged by the tags it read. {@link DriftSweepMode#LIST_ROLES}
 * makes only the first call and sees missing roles and changed trust policies, session durations
 * and descriptions; the orphan judgement then reads the tags of the roles no workload names.
 *
 * <p>It is an event source of the controller, so it runs only where the controller runs: on the
 * leader. At start it reads the roles once before any reconciliation, so that a restarted operator
 * checks its workloads without a read per role; orphans are first judged a period later, once the
 * cache holds every workload.
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
  private final OrphanRoleSweep orphans;
  private ScheduledExecutorService scheduler;
  // JOSDK starts every event source on a standby too (only event processing waits for the Lease):
  // a standby must not spend the account's IAM rate, so each run asks first.
  private final BooleanSupplier leading;
  private volatile boolean primed;

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   * @param orphans what judges the orphans among the roles each sweep reads
   */
  AwsDriftSweep(
      Config config, Supplier<Stream<SecureWorkload>> workloads, OrphanRoleSweep orphans) {
    super(ListedRole.class, NAME);
    this.iamRoles = config.iamRoles();
    this.roleStates = config.roleStates();
    this.workloadRole = config.workloadRole();
    this.rolePath = config.settings().rolePath();
    this.period = config.settings().awsDriftPeriod();
    this.mode = config.settings().awsDriftSweepMode();
    this.leading = config.leading();
    this.workloads = workloads;
    this.orphans = orphans;
  }

  /** What the reconciler needs to set a sweep up once the controller gives it its cache. */
  public record Config(
      IamRoles iamRoles,
      RoleStates roleStates,
      WorkloadRole workloadRole,
      OperatorSettings settings,
      MeterRegistry registry,
      BooleanSupplier leading) {

    AwsDriftSweep eventSource(EventSourceContext<SecureWorkload> context) {
      Supplier<Stream<SecureWorkload>> workloads = () -> context.getPrimaryCache().list();
      return new AwsDriftSweep(
          this,
          workloads,
          new OrphanRoleSweep(
              iamRoles,
              workloadRole,
              settings,
              registry,
              workloads,
              (namespace, name) -> OrphanRoleSweep.existsLive(context, namespace, name)));
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
        this::runPeriod, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
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
   * One sweep: reads the roles once, reconciles each workload whose role is missing or differs in
   * meaning from what it was made to be, then judges the orphans among the same roles; says which
   * workloads were reconciled. A failed read fails the sweep; a failure of either part after it is
   * one line in the log and leaves the other part to run.
   */
  Set<ResourceID> sweep() {
    long started = roleStates.now();
    if (mode == DriftSweepMode.AUTHORIZATION_DETAILS) {
      var roles = iamRoles.snapshot(rolePath);
      var requeued =
          reportDrift(
              () ->
                  requeue(
                      differing(
                          roles, ActualRole::name, r -> roleStates.observed(r, started), started)));
      reportOrphans(() -> orphans.inSnapshot(roles));
      return requeued;
    }
    var roles = iamRoles.list(rolePath);
    var requeued =
        reportDrift(
            () ->
                requeue(
                    differing(
                        roles, ListedRole::name, r -> roleStates.listed(r, started), started)));
    reportOrphans(() -> orphans.inListing(roles));
    return requeued;
  }

  /**
   * What a restarted operator knows of its roles before its first reconciliation: with it, a
   * workload whose role already means what it should costs no IAM call. A failure only costs reads.
   * No orphan is judged: the cache may not hold every workload yet.
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

  private Set<ResourceID> requeue(Predicate<String> differs) {
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
   * Which role names need their workload reconciled: those whose role the sweep saw changed ({@code
   * changed} also updates what is known of each role), and those it did not see at all.
   */
  private <R> Predicate<String> differing(
      List<R> roles, Function<R, String> name, Predicate<R> changed, long started) {
    var present = new HashSet<String>();
    var differs = new HashSet<String>();
    for (var role : roles) {
      present.add(name.apply(role));
      if (changed.test(role)) {
        differs.add(name.apply(role));
      }
    }
    return roleName ->
        differs.contains(roleName)
            || (!present.contains(roleName) && roleStates.missing(roleName, started));
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

  private Set<ResourceID> reportDrift(Supplier<Set<ResourceID>> drift) {
    try {
      var requeued = drift.get();
      if (!requeued.isEmpty()) {
        log.info("AWS drift sweep: IAM role missing or changed for {}, reconciling", requeued);
      }
      return requeued;
    } catch (RuntimeException e) {
      log.warn("AWS drift sweep failed, next one in {}: {}", period, e.getMessage());
      return Set.of();
    }
  }

  private void reportOrphans(Runnable judge) {
    try {
      judge.run();
    } catch (RuntimeException e) {
      log.warn("Orphan role sweep failed, next one in {}: {}", period, e.getMessage());
    }
  }

  /** What the scheduler runs each period; a failed read is one line in the log. */
  void runPeriod() {
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
      sweep();
    } catch (RuntimeException e) {
      log.warn("AWS drift sweep failed, next one in {}: {}", period, e.getMessage());
    }
  }
}
