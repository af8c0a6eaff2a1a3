package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orphan part of the {@link AwsDriftSweep}: among the roles a sweep has just read, finds the
 * IAM roles of this cluster whose SecureWorkload no longer exists (its finalizer removed by force,
 * the operator's cleanup never run) and, by {@code SW_ORPHAN_POLICY}, reports or deletes them. A
 * role that can still be assumed with nobody left to answer for it is the one thing an operator
 * minting IAM roles must not leave behind.
 *
 * <p>A role is an orphan only when all of these hold: it is under the operator's path; no cached
 * SecureWorkload has its name; its tags say managed by this operator, for this cluster name and
 * this OIDC issuer, in a namespace this instance watches, and not retained; and a live read of the
 * SecureWorkload its tags name, from the API server and not the cache, finds nothing. Untagged
 * roles, other clusters' roles and retained roles are never touched.
 *
 * <p>What it costs beyond the sweep's own read: nothing from a snapshot, which carries the tags;
 * from a listing (ListRoles returns no tags), one GetRole per role no cached workload names, once
 * per role incarnation for the roles found not to be ours (other clusters', retained, unwatched).
 * Then, per orphan candidate, one Kubernetes read and one GetRole after it: the sweep's read may
 * predate the workload's own cleanup, which deletes the role before the workload goes. It never
 * triggers a reconciliation: there is no SecureWorkload to reconcile.
 */
final class OrphanRoleSweep {

  /** Orphans seen, counted once per role incarnation, and orphans deleted. */
  static final String METER = "secureworkload.orphan.roles";

  /** How many orphans the last sweep left in place (Report, or a failed delete). */
  static final String GAUGE = "secureworkload.orphan.roles.present";

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

  /** Role ids (one incarnation each) found not to be ours: not judged again. */
  private final Set<String> notOurs = ConcurrentHashMap.newKeySet();

  /** Role ids of the orphans already reported, so that each is one log line and one count. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

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

  /**
   * A list by name rather than a get: a get answers 404 alike for a missing object and for a
   * missing CRD, while a list fails when the kind is not served, so a deleted CRD (every
   * SecureWorkload gone at once) never reads as "this workload is gone".
   */
  static boolean existsLive(
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

  /** The orphans among the roles of a snapshot, judged by the tags it holds: no IAM read. */
  List<Orphan> inSnapshot(List<ActualRole> roles) {
    return judge(
        roles, r -> new SweptRole(r.name(), r.arn(), r.roleId(), () -> Optional.of(r.tags())));
  }

  /** The orphans among the roles of a listing, whose tags are read where needed. */
  List<Orphan> inListing(List<ListedRole> roles) {
    return judge(
        roles, r -> new SweptRole(r.name(), r.arn(), r.roleId(), () -> iamRoles.tags(r.name())));
  }

  private <R> List<Orphan> judge(List<R> roles, Function<R, SweptRole> swept) {
    return judge(roles.stream().map(swept).toList());
  }

  /** The orphans found, deleted or left in place by the policy. */
  private List<Orphan> judge(List<SweptRole> roles) {
    var named = workloads.get().map(workloadRole::nameInUse).collect(Collectors.toSet());
    var orphans = new ArrayList<Orphan>();
    int left = 0;
    var seen = new HashSet<String>();
    for (var role : roles) {
      if (named.contains(role.name()) || notOurs.contains(role.roleId())) {
        continue;
      }
      var tags = role.tags().get();
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
      // The read above may predate the workload's own cleanup, which deletes the role before it
      // lets the workload go: a role read again after the live read is there for good.
      if (iamRoles.tags(role.name()).isEmpty()) {
        continue;
      }
      orphans.add(new Orphan(role.name(), role.arn(), namespace, name));
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

  /**
   * A role as the sweep read it, with its tags: at hand (a snapshot), or read when asked (a
   * listing).
   */
  private record SweptRole(
      String name, String arn, String roleId, Supplier<Optional<Map<String, String>>> tags) {}

  /** A role of this cluster whose SecureWorkload is gone. */
  record Orphan(String roleName, String roleArn, String namespace, String name) {}
}
