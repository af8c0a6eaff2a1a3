package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.TrustCut;
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
 * IAM roles of this cluster whose SecureWorkload no longer exists and cuts their trust ({@link
 * TrustCut}), whatever {@code SW_ORPHAN_POLICY} says: a role that can still be assumed with nobody
 * left to answer for it is the one thing an operator minting IAM roles must not leave behind, and
 * whoever owns the namespace's name next must not inherit it. By the policy, an orphan (its
 * finalizer removed by force, the operator's cleanup never run) is then reported or deleted; a role
 * kept by {@code deletionPolicy: Retain} is never deleted, and its cleanup cut it already (the
 * sweep cuts one kept before cuts existed, or whose trust someone restored by hand).
 *
 * <p>A role is the sweep's to cut only when all of these hold: it is under the operator's path; no
 * cached SecureWorkload has its name; its tags say managed by this operator, for this cluster name
 * and this OIDC issuer, in a namespace this instance watches; and a live read of the SecureWorkload
 * its tags name, from the API server and not the cache, finds nothing. Untagged roles, other
 * clusters' roles and unwatched namespaces' roles are never touched.
 *
 * <p>What it costs beyond the sweep's own read: nothing from a snapshot, which carries the tags;
 * from a listing (ListRoles returns no tags), one GetRole per role no cached workload names, once
 * per role incarnation for the roles found not to be ours (other clusters', unwatched) or cut with
 * nothing left to do (retained, or orphans under Report) while their trust, which every read shows,
 * stays cut. Then, per role to cut or delete, one Kubernetes read and one GetRole after it: the
 * sweep's read may predate the workload's own cleanup, which deletes the role before the workload
 * goes. It never triggers a reconciliation: there is no SecureWorkload to reconcile.
 */
final class OrphanRoleSweep {

  /** Orphans seen (once per role incarnation), roles whose trust was cut, and orphans deleted. */
  static final String METER = "secureworkload.orphan.roles";

  /** How many orphans the last sweep left in place (Report, or a failed delete). */
  static final String GAUGE = "secureworkload.orphan.roles.present";

  private static final Logger log = LoggerFactory.getLogger(OrphanRoleSweep.class);

  /** Why a role that no cached workload names is, or is not, the sweep's to cut. */
  enum Verdict {
    /** An orphan: cut, and deleted under {@code SW_ORPHAN_POLICY=Delete}. */
    CANDIDATE,
    /** Kept by {@code deletionPolicy: Retain}: cut, never deleted. */
    RETAINED,
    NOT_MANAGED_BY_US,
    OTHER_CLUSTER,
    UNWATCHED_NAMESPACE
  }

  private final IamRoles iamRoles;
  private final WorkloadRole workloadRole;
  private final OperatorSettings settings;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private final BiPredicate<String, String> existsLive;
  private final TrustCut trustCut;
  private final Counter found;
  private final Counter cut;
  private final Counter deleted;
  private final AtomicInteger present;

  /** Role ids (one incarnation each) found not to be ours: not judged again. */
  private final Set<String> notOurs = ConcurrentHashMap.newKeySet();

  /** Role ids of retained roles seen cut: not judged again while their trust stays cut. */
  private final Set<String> cutRetained = ConcurrentHashMap.newKeySet();

  /** Orphans seen cut and left in place (Report), by role id: the same while their trust stays. */
  private final Map<String, Orphan> cutOrphans = new ConcurrentHashMap<>();

  /** Role ids of the orphans already reported, so that each is one log line and one count. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  /**
   * @param workloads the SecureWorkloads as the controller's cache holds them
   * @param existsLive whether the SecureWorkload (namespace, name) exists, read from the API
   *     server; throws when the API server cannot say (then nothing is deleted)
   */
  OrphanRoleSweep(
      IamAccount account,
      WorkloadRole workloadRole,
      OperatorSettings settings,
      MeterRegistry registry,
      Supplier<Stream<SecureWorkload>> workloads,
      BiPredicate<String, String> existsLive) {
    this.iamRoles = account.roles();
    this.workloadRole = workloadRole;
    this.settings = settings;
    this.workloads = workloads;
    this.existsLive = existsLive;
    var accountId = account.id();
    this.trustCut = new TrustCut(iamRoles, () -> workloadRole.cutTrustPolicy(accountId));
    this.found =
        Counter.builder(METER)
            .tag("action", "found")
            .tag("account", accountId)
            .description("Roles of this cluster found without their SecureWorkload")
            .register(registry);
    this.cut =
        Counter.builder(METER)
            .tag("action", "cut")
            .tag("account", accountId)
            .description("Roles of this cluster whose trust was cut: orphaned or retained")
            .register(registry);
    this.deleted =
        Counter.builder(METER)
            .tag("action", "deleted")
            .tag("account", accountId)
            .description("Orphaned roles deleted (SW_ORPHAN_POLICY=Delete)")
            .register(registry);
    this.present =
        registry.gauge(
            GAUGE,
            java.util.List.of(io.micrometer.core.instrument.Tag.of("account", accountId)),
            new AtomicInteger());
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
        roles,
        r ->
            new SweptRole(
                r.name(), r.arn(), r.roleId(), r.trustPolicy(), () -> Optional.of(r.tags())));
  }

  /** The orphans among the roles of a listing, whose tags are read where needed. */
  List<Orphan> inListing(List<ListedRole> roles) {
    return judge(
        roles,
        r ->
            new SweptRole(
                r.name(), r.arn(), r.roleId(), r.trustPolicy(), () -> iamRoles.tags(r.name())));
  }

  private <R> List<Orphan> judge(List<R> roles, Function<R, SweptRole> swept) {
    return judge(roles.stream().map(swept).toList());
  }

  /** The orphans found: cut, then deleted or left in place by the policy. */
  private List<Orphan> judge(List<SweptRole> roles) {
    var named = workloads.get().map(workloadRole::nameInUse).collect(Collectors.toSet());
    var orphans = new ArrayList<Orphan>();
    int left = 0;
    var seen = new HashSet<String>();
    for (var role : roles) {
      if (named.contains(role.name()) || notOurs.contains(role.roleId())) {
        continue;
      }
      if (settledCut(role)) {
        var orphan = cutOrphans.get(role.roleId());
        if (orphan != null) {
          orphans.add(orphan);
          left++;
        }
        continue;
      }
      var tags = role.tags().get();
      if (tags.isEmpty()) {
        continue;
      }
      var verdict = judge(tags.get(), settings);
      if (verdict != Verdict.CANDIDATE && verdict != Verdict.RETAINED) {
        notOurs.add(role.roleId());
        continue;
      }
      var orphan =
          new Orphan(
              role.name(),
              role.arn(),
              tags.get().get(WorkloadRole.TAG_NAMESPACE),
              tags.get().get(WorkloadRole.TAG_NAME));
      boolean deleting =
          verdict == Verdict.CANDIDATE && settings.orphanPolicy() == OrphanPolicy.Delete;
      boolean isCut = TrustCut.marked(tags.get()) && trustCut.holds(role.trustPolicy());
      if (!isCut || deleting) {
        var current = tagsIfGoneForGood(orphan);
        if (current.isEmpty()) {
          continue;
        }
        if (!isCut) {
          cut(orphan, current.get(), verdict);
        }
      }
      if (verdict == Verdict.RETAINED) {
        cutRetained.add(role.roleId());
        continue;
      }
      orphans.add(orphan);
      seen.add(role.roleId());
      report(orphan, role.roleId());
      if (deleting) {
        iamRoles.delete(role.name());
        deleted.increment();
        log.info(
            "Deleted orphaned IAM role {} of SecureWorkload {}/{}",
            role.arn(),
            orphan.namespace(),
            orphan.name());
      } else {
        cutOrphans.put(role.roleId(), orphan);
        left++;
      }
    }
    var listed = roles.stream().map(SweptRole::roleId).collect(Collectors.toSet());
    cutRetained.retainAll(listed);
    cutOrphans.keySet().retainAll(listed);
    seen.addAll(cutOrphans.keySet());
    reported.retainAll(seen);
    present.set(left);
    return orphans;
  }

  /**
   * The role's tags read again, when the API server has no SecureWorkload of the name its tags name
   * and the role is still there: the cache may lag behind a workload created a moment ago, and the
   * sweep's read may predate the workload's own cleanup, which deletes the role before it lets the
   * workload go. Empty: leave the role alone.
   */
  private Optional<Map<String, String>> tagsIfGoneForGood(Orphan role) {
    if (existsLive.test(role.namespace(), role.name())) {
      return Optional.empty();
    }
    return iamRoles.tags(role.roleName());
  }

  /**
   * Whether the role was seen cut with nothing more to do, and its trust, which every read shows,
   * is still cut; one whose trust is no longer cut is judged again.
   */
  private boolean settledCut(SweptRole role) {
    boolean known = cutRetained.contains(role.roleId()) || cutOrphans.containsKey(role.roleId());
    if (known && !trustCut.holds(role.trustPolicy())) {
      cutRetained.remove(role.roleId());
      cutOrphans.remove(role.roleId());
      return false;
    }
    return known;
  }

  private void cut(Orphan role, Map<String, String> tags, Verdict verdict) {
    var reason = verdict == Verdict.RETAINED ? TrustCut.Reason.RETAINED : TrustCut.Reason.ORPHANED;
    trustCut.cut(role.roleName(), tags, reason, Map.of());
    cut.increment();
    log.warn(
        "Cut the trust of IAM role {} ({}): SecureWorkload {}/{} no longer exists, and no"
            + " ServiceAccount may assume the role it {}",
        role.roleName(),
        role.roleArn(),
        role.namespace(),
        role.name(),
        verdict == Verdict.RETAINED ? "kept (deletionPolicy: Retain)" : "left behind");
  }

  /** Once per role incarnation: one log line and one count. */
  private void report(Orphan orphan, String roleId) {
    if (!reported.add(roleId)) {
      return;
    }
    found.increment();
    log.warn(
        "Orphaned IAM role {} ({}): SecureWorkload {}/{} no longer exists; {}",
        orphan.roleName(),
        orphan.roleArn(),
        orphan.namespace(),
        orphan.name(),
        settings.orphanPolicy() == OrphanPolicy.Delete
            ? "deleting it"
            : "left in place with its trust cut (SW_ORPHAN_POLICY=Report)");
  }

  /** Whether a role's tags make it this operator instance's to cut. */
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
    if (!settings.watchNamespaces().isEmpty()
        && !settings.watchNamespaces().contains(tags.get(WorkloadRole.TAG_NAMESPACE))) {
      return Verdict.UNWATCHED_NAMESPACE;
    }
    if ("true".equals(tags.get(WorkloadRole.TAG_RETAINED))) {
      return Verdict.RETAINED;
    }
    return Verdict.CANDIDATE;
  }

  /**
   * A role as the sweep read it, with its tags: at hand (a snapshot), or read when asked (a
   * listing).
   */
  private record SweptRole(
      String name,
      String arn,
      String roleId,
      String trustPolicy,
      Supplier<Optional<Map<String, String>>> tags) {}

  /** A role of this cluster whose SecureWorkload is gone (or, inside the sweep, one retained). */
  record Orphan(String roleName, String roleArn, String namespace, String name) {}
}
