package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec;
import io.secureworkload.operator.api.SecureWorkloadPolicyStatus;
import io.secureworkload.operator.guardrail.PolicyPatterns;
import io.secureworkload.operator.guardrail.PolicySelection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes what a SecureWorkloadPolicy applies to: the namespaces it governs (those it selects; for a
 * marked default, those no enforced policy selects: see {@link PolicySelection}), their
 * SecureWorkloads and how many of them break a guardrail (as their GuardrailCompliant condition
 * says), and a {@code Conflict} when another enforced policy governs one of its namespaces with a
 * different permissions boundary. A change of any policy, namespace or SecureWorkload recomputes
 * every policy's status: policies are few; the status is written only when it changed.
 */
@ControllerConfiguration(name = PolicyStatusReconciler.NAME)
public class PolicyStatusReconciler implements Reconciler<SecureWorkloadPolicy> {

  public static final String NAME = "secureworkloadpolicy";
  public static final String READY = "Ready";

  /** A pattern of the policy is unsafe or names no action: it is left out, the rest applies. */
  public static final String INVALID_PATTERN = "InvalidPattern";

  private final Clock clock;
  private final Set<String> watchNamespaces;

  /**
   * @param watchNamespaces the namespaces whose SecureWorkloads this instance may see; empty: all
   */
  public PolicyStatusReconciler(Clock clock, Set<String> watchNamespaces) {
    this.clock = clock;
    this.watchNamespaces = Set.copyOf(watchNamespaces);
  }

  @Override
  public List<EventSource<?, SecureWorkloadPolicy>> prepareEventSources(
      EventSourceContext<SecureWorkloadPolicy> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, SecureWorkloadPolicy.class)
                .withName("policy-namespaces")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(n -> everyPolicy(context))
                .build(),
            context),
        new InformerEventSource<>(workloads(context), context),
        new InformerEventSource<>(
            // Which namespaces a policy governs, and its conflicts, depend on the other policies
            // too: a marked default governs what the enforced policies leave.
            InformerEventSourceConfiguration.from(
                    SecureWorkloadPolicy.class, SecureWorkloadPolicy.class)
                .withName("policy-policies")
                .withWatchAllNamespaces()
                .withOnUpdateFilter(PolicySelection::governanceChanged)
                .withSecondaryToPrimaryMapper(p -> everyPolicy(context))
                .build(),
            context));
  }

  private InformerEventSourceConfiguration<SecureWorkload> workloads(
      EventSourceContext<SecureWorkloadPolicy> context) {
    var builder =
        InformerEventSourceConfiguration.from(SecureWorkload.class, SecureWorkloadPolicy.class)
            .withName("policy-workloads")
            .withItemStore(new WorkloadSummaryStore(StatusAggregator.GUARDRAIL_COMPLIANT))
            .withSecondaryToPrimaryMapper(w -> everyPolicy(context));
    if (watchNamespaces.isEmpty()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(watchNamespaces);
    }
    return builder.build();
  }

  @Override
  public UpdateControl<SecureWorkloadPolicy> reconcile(
      SecureWorkloadPolicy policy, Context<SecureWorkloadPolicy> context) {
    var policies = context.getPrimaryCache().list().toList();
    var namespaces =
        cache(context, Namespace.class)
            .filter(n -> governs(policy, policies, n))
            .map(n -> n.getMetadata().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    var workloads =
        cache(context, SecureWorkload.class)
            .filter(w -> namespaces.contains(w.getMetadata().getNamespace()))
            .toList();
    var status = new SecureWorkloadPolicyStatus();
    status.setObservedGeneration(policy.getMetadata().getGeneration());
    status.setMatchedNamespaces(namespaces.size());
    status.setMatchedWorkloads(workloads.size());
    status.setWorkloadsInViolation(
        (int) workloads.stream().filter(PolicyStatusReconciler::breaksAGuardrail).count());
    status.setConditions(List.of(ready(policy, policies, namespaces, context)));
    if (Objects.equals(withoutTimes(status), withoutTimes(policy.getStatus()))) {
      return UpdateControl.noUpdate();
    }
    keepTransitionTime(status, policy.getStatus());
    var patch = new SecureWorkloadPolicy();
    patch.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  /** In force, or in conflict with an enforced policy over a shared namespace's boundary. */
  private Condition ready(
      SecureWorkloadPolicy policy,
      List<SecureWorkloadPolicy> policies,
      Set<String> namespaces,
      Context<SecureWorkloadPolicy> context) {
    var boundary = boundaryOf(policy);
    var conflicts = new TreeSet<String>();
    if (boundary != null) {
      var others = policies.stream().filter(other -> !other.equals(policy)).toList();
      for (var namespace : cache(context, Namespace.class).toList()) {
        if (!namespaces.contains(namespace.getMetadata().getName())) {
          continue;
        }
        others.stream()
            .filter(other -> governs(other, policies, namespace))
            .filter(other -> boundaryOf(other) != null && !boundary.equals(boundaryOf(other)))
            .forEach(
                other ->
                    conflicts.add(
                        other.getMetadata().getName()
                            + " (namespace "
                            + namespace.getMetadata().getName()
                            + ")"));
      }
    }
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var generation = policy.getMetadata().getGeneration();
    var problems = PolicyPatterns.problems(policy);
    if (conflicts.isEmpty() && !problems.isEmpty()) {
      return new Condition(
          READY,
          Condition.FALSE,
          INVALID_PATTERN,
          "Patterns that match nothing, so the rest of the policy applies without them: "
              + problems.stream()
                  .limit(5)
                  .map(PolicyPatterns.Problem::message)
                  .collect(Collectors.joining("; "))
              + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""),
          now,
          generation);
    }
    if (!conflicts.isEmpty()) {
      return new Condition(
          READY,
          Condition.FALSE,
          "Conflict",
          "Another enforced policy names a different permissions boundary for a namespace this one"
              + " governs: "
              + String.join(", ", conflicts)
              + ". The operator picks neither: the workloads there are refused until the policies"
              + " agree.",
          now,
          generation);
    }
    return new Condition(
        READY,
        Condition.TRUE,
        policy.getSpec() != null
                && policy.getSpec().getMode() == SecureWorkloadPolicySpec.Mode.Audit
            ? "Auditing"
            : "Enforcing",
        PolicySelection.isMarkedDefault(policy)
            ? "The default policy (label "
                + PolicySelection.DEFAULT_POLICY_LABEL
                + "=true) applies to the "
                + namespaces.size()
                + " namespace(s) that no enforced policy selects; its own selectors are not used"
            : "The policy applies to " + namespaces.size() + " namespace(s)",
        now,
        generation);
  }

  /** Only an enforced policy's boundary is given to roles (see guardrail.EffectivePolicy). */
  private static String boundaryOf(SecureWorkloadPolicy policy) {
    var spec = policy.getSpec();
    if (spec == null
        || spec.getMode() == SecureWorkloadPolicySpec.Mode.Audit
        || spec.getIam() == null) {
      return null;
    }
    return spec.getIam().getPermissionsBoundaryArn();
  }

  private static boolean governs(
      SecureWorkloadPolicy policy, List<SecureWorkloadPolicy> policies, Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return PolicySelection.governs(policy, policies, namespace.getMetadata().getName(), labels);
  }

  private static boolean breaksAGuardrail(SecureWorkload workload) {
    return workload.getStatus() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    StatusAggregator.GUARDRAIL_COMPLIANT.equals(c.getType())
                        && Condition.FALSE.equals(c.getStatus()));
  }

  @SuppressWarnings("unchecked")
  private static <R> java.util.stream.Stream<R> cache(
      Context<SecureWorkloadPolicy> context, Class<R> type) {
    return ((Cache<R>) context.eventSourceRetriever().getEventSourceFor(type)).list();
  }

  private static Set<ResourceID> everyPolicy(EventSourceContext<SecureWorkloadPolicy> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static SecureWorkloadPolicyStatus withoutTimes(SecureWorkloadPolicyStatus status) {
    if (status == null) {
      return null;
    }
    var copy = new SecureWorkloadPolicyStatus();
    copy.setObservedGeneration(status.getObservedGeneration());
    copy.setMatchedNamespaces(status.getMatchedNamespaces());
    copy.setMatchedWorkloads(status.getMatchedWorkloads());
    copy.setWorkloadsInViolation(status.getWorkloadsInViolation());
    copy.setConditions(
        status.getConditions().stream()
            .map(c -> c.toBuilder().lastTransitionTime(null).build())
            .toList());
    return copy;
  }

  private static void keepTransitionTime(
      SecureWorkloadPolicyStatus status, SecureWorkloadPolicyStatus previous) {
    if (previous == null) {
      return;
    }
    status.setConditions(
        status.getConditions().stream()
            .map(
                c ->
                    previous.getConditions().stream()
                        .filter(
                            old ->
                                old.getType().equals(c.getType())
                                    && Objects.equals(old.getStatus(), c.getStatus()))
                        .findFirst()
                        .map(
                            old ->
                                c.toBuilder()
                                    .lastTransitionTime(old.getLastTransitionTime())
                                    .build())
                        .orElse(c))
            .toList());
  }
}
