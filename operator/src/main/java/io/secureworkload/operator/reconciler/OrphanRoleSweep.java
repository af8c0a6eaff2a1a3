package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orphan sweep: finds the IAM roles of this cluster whose SecureWorkload no longer exists (its
 * finalizer removed by force, the operator's cleanup never run) and, by {@code SW_ORPHAN_POLICY},
 * reports or deletes them. A role that can still be assumed with nobody left to answer for it is
 * the one thing an operator minting IAM roles must not leave behind.
 *
 * <p>A role is an orphan only when all of these hold: it is under the operator's path; no cached
 * SecureWorkload has its name; its tags say managed by this operator, for this cluster name and
 * this OIDC issuer, in a namespace this instance watches, and not retained; and a live read of the
 * SecureWorkload its tags name, from the API server and not the cache, finds nothing. Untagged
 * roles, other clusters' roles and retained roles are never touched.
 *
 * <p>What a sweep costs: the ListRoles of the drift sweep's kind (one call per 1,000 roles), then
 * one GetRole per role no cached workload names, once per role incarnation for the roles found not
 * to be ours (other clusters', retained, unwatched), and one Kubernetes read per orphan. Like every
 * event source of the controller it runs only on the leader; it never triggers a reconciliation:
 * there is no SecureWorkload to reconcile.
 */
public final class OrphanRoleSweep extends AbstractEventSource<ListedRole, SecureWorkload> {

  public static final String NAME = "orphan-role-sweep";

  /** Orphans seen, counted once per role incarnation, and orphans deleted. */
  public static final String METER = "secureworkload.orphan.roles";

  /** How many orphans the last sweep left in place (Report, or a failed delete). */
  public static final String GAUGE = "secureworkload.orphan.roles.present";

  private static final Logger log = LoggerFactory.getLogger(OrphanRoleSweep.class);

  /** Why a role that no cached workload names is, or is not, an orphan candidate. */
  enum Verdict {
    CANDIDATE,
    NOT_MANAGED_BY_US,
    OTHER_CLUSTER,
    RETAINED,
    UNWATCHED_NAMESPACE
  }

  private final IamRoles iamRoles;
  private final WorkloadRole workloadRole;
  private final OperatorSettings settings;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private final BiPredicate<String, String> existsLive;
  private final Counter found;
  private final Counter deleted;
  private final AtomicInteger present;

  /** Role ids (one incarnation each) found not to be ours: not read again. */
  private final Set<String> notOurs = ConcurrentHashMap.newKeySet();

  /** Role ids of the orphans already reported, so that each is one log line and one count. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private ScheduledExecutorService scheduler;
  // JOSDK starts every event source on a standby too: only the leader sweeps.
  private volatile BooleanSupplier leading = () -> true;

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   * @param existsLive whether the SecureWorkload (namespace, name) exists, read from the API
   *     server; throws when the API server cannot say (then nothing is deleted)
   */
  OrphanRoleSweep(
      IamRoles iamRoles,
      WorkloadRole workloadRole,
      OperatorSettings settings,
      MeterRegistry registry,
      Supplier<Stream<SecureWorkload>> workloads,
      BiPredicate<String, String> existsLive) {
    super(ListedRole.class, NAME);
    this.iamRoles = iamRoles;
    this.workloadRole = workloadRole;
    this.settings = settings;
    this.workloads = workloads;
    this.existsLive = existsLive;
    this.found =
        Counter.builder(METER)
            .tag("action", "found")
            .description("Roles of this cluster found without their SecureWorkload")
            .register(registry);
    this.deleted =
        Counter.builder(METER)
            .tag("action", "deleted")
            .description("Orphaned roles deleted (SW_ORPHAN_POLICY=Delete)")
            .register(registry);
    this.present = registry.gauge(GAUGE, new AtomicInteger());
  }

  /** What the reconciler needs to set a sweep up once the controller gives it its cache. */
  public record Config(
      IamRoles iamRoles,
      WorkloadRole workloadRole,
      OperatorSettings settings,
      MeterRegistry registry,
      BooleanSupplier leading) {

    OrphanRoleSweep eventSource(EventSourceContext<SecureWorkload> context) {
      var sweep =
          new OrphanRoleSweep(
              iamRoles,
              workloadRole,
              settings,
              registry,
              () -> context.getPrimaryCache().list(),
              (namespace, name) -> existsLive(context, namespace, name));
      sweep.leading = leading;
      return sweep;
    }

    /**
     * A list by name rather than a get: a get answers 404 alike for a missing object and for a
     * missing CRD, while a list fails when the kind is not served, so a deleted CRD (every
     * SecureWorkload gone at once) never reads as "this workload is gone".
     */
    private static boolean existsLive(
        EventSourceContext<SecureWorkload> context, String namespace, String name) {
      return !context
          .getClient()
          .resources(SecureWorkload.class)
          .inNamespace(namespace)
          .withField("metadata.name", name)
          .list()
          .getItems()
          .isEmpty();
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
    // The first sweep waits a period, so that the cache has every workload by then.
    long period = settings.awsDriftPeriod().toMillis();
    scheduler.scheduleWithFixedDelay(this::sweepAndLog, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    super.stop();
  }

  @Override
  public Set<ListedRole> getSecondaryResources(SecureWorkload primary) {
    return Set.of();
  }

  /** One sweep: the orphans it found, deleted or left in place by the policy. */
  List<Orphan> sweep() {
    var named = workloads.get().map(workloadRole::nameInUse).collect(Collectors.toSet());
    var orphans = new ArrayList<Orphan>();
    int left = 0;
    var seen = new HashSet<String>();
    for (var role : iamRoles.list(settings.rolePath())) {
      if (named.contains(role.name()) || notOurs.contains(role.roleId())) {
        continue;
      }
      var tags = iamRoles.tags(role.name());
      if (tags.isEmpty()) {
        continue;
      }
      var verdict = judge(tags.get(), settings);
      if (verdict != Verdict.CANDIDATE) {
        notOurs.add(role.roleId());
        continue;
      }
      var namespace = tags.get().get(WorkloadRole.TAG_NAMESPACE);
      var name = tags.get().get(WorkloadRole.TAG_NAME);
      // The cache may lag behind a workload created a moment ago; the API server does not.
      if (existsLive.test(namespace, name)) {
        continue;
      }
      orphans.add(new Orphan(role, namespace, name));
      seen.add(role.roleId());
      if (reported.add(role.roleId())) {
        found.increment();
        log.warn(
            "Orphaned IAM role {} ({}): SecureWorkload {}/{} no longer exists; {}",
            role.name(),
            role.arn(),
            namespace,
            name,
            settings.orphanPolicy() == OrphanPolicy.Delete
                ? "deleting it"
                : "left in place (SW_ORPHAN_POLICY=Report)");
      }
      if (settings.orphanPolicy() == OrphanPolicy.Delete) {
        iamRoles.delete(role.name());
        deleted.increment();
        log.info(
            "Deleted orphaned IAM role {} of SecureWorkload {}/{}", role.arn(), namespace, name);
      } else {
        left++;
      }
    }
    reported.retainAll(seen);
    present.set(left);
    return orphans;
  }

  /** Whether a role's tags make it an orphan candidate of this operator instance. */
  static Verdict judge(Map<String, String> tags, OperatorSettings settings) {
    if (!SecureWorkload.MANAGED_BY.equals(tags.get(WorkloadRole.TAG_MANAGED_BY))
        || tags.get(WorkloadRole.TAG_NAMESPACE) == null
        || tags.get(WorkloadRole.TAG_NAME) == null) {
      return Verdict.NOT_MANAGED_BY_US;
    }
    // Both: two clusters given the same name in one account differ by issuer. A role made before
    // the issuer tag existed is not provably this cluster's, so it is left alone.
    if (!settings.clusterName().equals(tags.get(WorkloadRole.TAG_CLUSTER))
        || !settings.oidcProviderHostPath().equals(tags.get(WorkloadRole.TAG_ISSUER))) {
      return Verdict.OTHER_CLUSTER;
    }
    if ("true".equals(tags.get(WorkloadRole.TAG_RETAINED))) {
      return Verdict.RETAINED;
    }
    if (!settings.watchNamespaces().isEmpty()
        && !settings.watchNamespaces().contains(tags.get(WorkloadRole.TAG_NAMESPACE))) {
      return Verdict.UNWATCHED_NAMESPACE;
    }
    return Verdict.CANDIDATE;
  }

  /** A role of this cluster whose SecureWorkload is gone. */
  record Orphan(ListedRole role, String namespace, String name) {}

  /** A failed sweep is one line in the log; the next one comes a period later. */
  private void sweepAndLog() {
    if (!leading.getAsBoolean()) {
      return;
    }
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn(
          "Orphan role sweep failed, next one in {}: {}",
          settings.awsDriftPeriod(),
          e.getMessage());
    }
  }
}
