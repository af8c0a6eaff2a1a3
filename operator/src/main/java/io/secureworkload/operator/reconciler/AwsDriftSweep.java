package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.podidentity.PodIdentity;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS drift sweep: every period, in every account the operator writes roles in ({@link
 * AccountSweep}, each on its own thread, so that an account that does not answer holds up no
 * other), one look at all of the operator's roles at once, for two purposes. It is compared with
 * the roles the cached SecureWorkloads were last made to have ({@link RoleStates}): exactly the
 * workloads whose role is missing or differs in meaning are reconciled (their known role forgotten,
 * so that the reconciliation reads it and repairs it); nothing else costs an AWS call, and event
 * driven reconciliations need not read IAM, since this is what watches AWS. Then the same roles are
 * handed to the {@link OrphanRoleSweep}, which finds those whose SecureWorkload is gone. A failure
 * of either part is one line in the log and spares the other.
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

  private final IamAccounts accounts;
  private final Duration period;
  private final Function<IamAccount, AccountSweep> newSweep;
  private final Map<String, AccountSweep> sweeps = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;
  private ExecutorService workers;
  // JOSDK starts every event source on a standby too (only event processing waits for the Lease):
  // a standby must not spend the account's IAM rate, so each run asks first.
  private final BooleanSupplier leading;
  private volatile boolean primed;
  private final AssociationSweep associationSweep;

  /** The running-set key of the Pod Identity association sweep, beside the accounts' ids. */
  private static final String ASSOCIATIONS = "pod-identity-associations";

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   * @param orphans what judges the orphans among the roles each account's sweep reads
   */
  AwsDriftSweep(
      Config config,
      Supplier<Stream<SecureWorkload>> workloads,
      Function<IamAccount, OrphanRoleSweep> orphans) {
    super(ListedRole.class, NAME);
    this.accounts = config.accounts();
    this.period = config.settings().awsDriftPeriod();
    this.leading = config.leading();
    this.associationSweep =
        !config.podIdentity().configured()
            ? null
            : new AssociationSweep(
                config.podIdentity(),
                workloads,
                id -> getEventHandler().handleEvent(new Event(id)));
    this.newSweep =
        account ->
            new AccountSweep(
                account,
                config.workloadRole(),
                config.settings().rolePath(),
                period,
                config.settings().awsDriftSweepMode(),
                workloads,
                orphans.apply(account),
                id -> getEventHandler().handleEvent(new Event(id)));
  }

  /** What the reconciler needs to set a sweep up once the controller gives it its cache. */
  public record Config(
      IamAccounts accounts,
      WorkloadRole workloadRole,
      OperatorSettings settings,
      MeterRegistry registry,
      BooleanSupplier leading,
      PodIdentity podIdentity) {

    public Config(
        IamAccounts accounts,
        WorkloadRole workloadRole,
        OperatorSettings settings,
        MeterRegistry registry,
        BooleanSupplier leading) {
      this(accounts, workloadRole, settings, registry, leading, PodIdentity.none());
    }

    AwsDriftSweep eventSource(EventSourceContext<SecureWorkload> context) {
      Supplier<Stream<SecureWorkload>> workloads = () -> context.getPrimaryCache().list();
      return new AwsDriftSweep(
          this,
          workloads,
          account ->
              new OrphanRoleSweep(
                  account,
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
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon(NAME));
    workers = Executors.newCachedThreadPool(daemon(NAME + "-account"));
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
    if (workers != null) {
      workers.shutdownNow();
      workers = null;
    }
    super.stop();
  }

  /** The roles a sweep compares are AWS's, not cached here: a workload has none to look up. */
  @Override
  public Set<ListedRole> getSecondaryResources(SecureWorkload primary) {
    return Set.of();
  }

  /**
   * One sweep of every account, one after the other, in the calling thread; says which workloads
   * were reconciled. An account whose read fails is one line in the log and spares the others.
   */
  Set<ResourceID> sweep() {
    var requeued = new HashSet<ResourceID>();
    for (var account : accounts.all()) {
      try {
        requeued.addAll(sweepOf(account).sweep());
      } catch (RuntimeException e) {
        logFailure(account, e);
      }
    }
    if (associationSweep != null) {
      requeued.addAll(sweepAssociations());
    }
    return requeued;
  }

  /**
   * What a restarted operator knows of its roles before its first reconciliation: with it, a
   * workload whose role already means what it should costs no IAM call. A failure only costs reads.
   * No orphan is judged: the cache may not hold every workload yet.
   */
  void prime() {
    accounts.all().forEach(account -> sweepOf(account).prime());
  }

  /**
   * What the scheduler runs each period: each account's sweep on a thread of its own, unless the
   * account's previous sweep is still running; a failed read is one line in the log.
   */
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
    for (var account : accounts.all()) {
      var id = account.id();
      if (!running.add(id)) {
        continue;
      }
      var pool = workers;
      Runnable task =
          () -> {
            try {
              sweepOf(account).sweep();
            } catch (RuntimeException e) {
              logFailure(account, e);
            } finally {
              running.remove(id);
            }
          };
      run(pool, task);
    }
    if (associationSweep != null && running.add(ASSOCIATIONS)) {
      run(
          workers,
          () -> {
            try {
              sweepAssociations();
            } finally {
              running.remove(ASSOCIATIONS);
            }
          });
    }
  }

  /** The Pod Identity associations' sweep; a failure is one line in the log. */
  private Set<ResourceID> sweepAssociations() {
    try {
      return associationSweep.sweep();
    } catch (RuntimeException e) {
      log.warn("Pod Identity association sweep failed, next one in {}: {}", period, e.getMessage());
      return Set.of();
    }
  }

  private static void run(ExecutorService pool, Runnable task) {
    if (pool == null) {
      task.run();
    } else {
      pool.execute(task);
    }
  }

  private AccountSweep sweepOf(IamAccount account) {
    return sweeps.computeIfAbsent(account.id(), id -> newSweep.apply(account));
  }

  private void logFailure(IamAccount account, RuntimeException e) {
    log.warn(
        "AWS drift sweep of {} failed, next one in {}: {}",
        account.target().describe(),
        period,
        e.getMessage());
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      var thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
