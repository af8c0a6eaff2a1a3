package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.guardrail.DefaultGuardrails;
import io.secureworkload.operator.guardrail.EffectivePolicy;
import io.secureworkload.operator.guardrail.GuardrailContext;
import io.secureworkload.operator.guardrail.GuardrailEvaluator;
import io.secureworkload.operator.guardrail.PolicySelection;
import io.secureworkload.operator.guardrail.Verdict;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the guardrails let a workload have, decided once per reconciliation and shared by every
 * dependent: they all build from {@link Decision#admitted()}, never from the spec as written.
 *
 * <p>A workload whose role was never made and that breaks an enforced rule gets nothing at all. One
 * that exists already is narrowed (violating statements, managed policies, rules and groups
 * removed; never widened) and keeps its role and trust, so fixing the spec restores it at once.
 * When narrowing cannot mend a violation (a boundary conflict, a quota), nothing is changed.
 */
public final class Admission {

  private static final String CONTEXT_KEY = "secureworkload.io/admission";

  private final OperatorSettings settings;
  private final WorkloadRole workloadRole;
  private final Supplier<String> accountId;

  public Admission(
      OperatorSettings settings, WorkloadRole workloadRole, Supplier<String> accountId) {
    this.settings = settings;
    this.workloadRole = workloadRole;
    this.accountId = accountId;
  }

  /**
   * @param admitted the workload with the spec the guardrails allow (the spec as written when it
   *     complies or violations are only audited)
   * @param refused nothing may be created or changed for this workload
   * @param namespaceUid the namespace's uid, null while the namespace is not known yet
   * @param permissionsBoundaryArn the boundary every role of the namespace gets, null for none
   * @param inlinePolicy the role's inline policy as the guardrails write it for the admitted spec
   *     (actions expanded, the operator's conditions added), null for none
   */
  public record Decision(
      SecureWorkload admitted,
      Verdict verdict,
      boolean refused,
      String namespaceUid,
      String permissionsBoundaryArn,
      List<String> policyNames,
      String inlinePolicy) {

    /** The violations that refuse or narrow, for the condition, the Event and the exception. */
    public String enforcedSummary() {
      return Verdict.summary(verdict.enforced(), 5);
    }

    /** Refuses what the guardrails refuse; a dependent calls it before it writes anything. */
    public void requireAdmitted() {
      if (refused) {
        throw new TerminalException(
            ConditionReason.GuardrailViolation,
            "The spec breaks the namespace's guardrails, so nothing is created or changed: "
                + enforcedSummary());
      }
    }
  }

  /** The decision of this reconciliation; the first dependent that asks makes it. */
  public Decision of(SecureWorkload workload, Context<SecureWorkload> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    var known = shared.get(CONTEXT_KEY, Decision.class);
    if (known.isPresent()) {
      return known.get();
    }
    var decision = decide(workload, context);
    shared.put(CONTEXT_KEY, decision);
    return decision;
  }

  private Decision decide(SecureWorkload workload, Context<SecureWorkload> context) {
    var namespaceName = workload.getMetadata().getNamespace();
    var namespace = context.getSecondaryResource(Namespace.class);
    Map<String, String> labels = namespace.map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    var policy =
        EffectivePolicy.of(
            PolicySelection.governing(policies(context), namespaceName, labels, defaultPolicy()));
    var guardrails =
        GuardrailContext.builder()
            .accountId(accountId.get())
            .partition(settings.partition())
            .region(settings.awsRegion())
            .namespace(namespaceName)
            .positionInNamespace(positionInNamespace(workload, context))
            .roleName(workloadRole.nameInUse(workload))
            .trustPolicy(workloadRole.trustPolicy(workload))
            .tagCount(WorkloadRole.OWNERSHIP_TAG_COUNT)
            .maxTrustPolicyCharacters(settings.maxTrustPolicyCharacters())
            .maxManagedPoliciesPerRole(settings.maxManagedPoliciesPerRole())
            .build();
    var verdict = GuardrailEvaluator.evaluate(workload, policy, guardrails);
    var boundary =
        policy
            .permissionsBoundaryArn(guardrails.placeholders())
            .or(settings::permissionsBoundaryArn)
            .orElse(null);
    var admitted = workload;
    boolean refused = false;
    if (verdict.blocks()) {
      var narrowed = verdict.narrowed();
      refused = !narrowed.unresolved().isEmpty() || !everCreated(workload);
      admitted = withSpec(workload, narrowed.spec());
    }
    return new Decision(
        admitted,
        verdict,
        refused,
        namespace.map(n -> n.getMetadata().getUid()).orElse(null),
        boundary,
        policy.policyNames(),
        verdict.inlinePolicy());
  }

  /**
   * The built-in default, for when no policy is marked as the default: the built-in guardrails in
   * the configured mode (Audit while a cluster moves from the old, open default), with the
   * operator's own boundary.
   */
  private SecureWorkloadPolicy defaultPolicy() {
    var policy = DefaultGuardrails.policy();
    policy.getSpec().setMode(settings.defaultPolicyMode());
    settings
        .permissionsBoundaryArn()
        .ifPresent(arn -> policy.getSpec().getIam().setPermissionsBoundaryArn(arn));
    return policy;
  }

  @SuppressWarnings("unchecked")
  private static List<SecureWorkloadPolicy> policies(Context<SecureWorkload> context) {
    // Read from the informer's cache, not as secondary resources: a policy must govern a
    // workload created after the policy's last event too.
    var source = context.eventSourceRetriever().getEventSourceFor(SecureWorkloadPolicy.class);
    return ((Cache<SecureWorkloadPolicy>) source).list().toList();
  }

  /** 1 for the oldest SecureWorkload of the namespace: a lowered limit spares the oldest ones. */
  private static int positionInNamespace(SecureWorkload workload, Context<SecureWorkload> context) {
    var namespace = workload.getMetadata().getNamespace();
    var ordered =
        context
            .getPrimaryCache()
            .list(w -> namespace.equals(w.getMetadata().getNamespace()))
            .sorted(
                Comparator.comparing((SecureWorkload w) -> w.getMetadata().getCreationTimestamp())
                    .thenComparing(w -> w.getMetadata().getName()))
            .map(w -> w.getMetadata().getName())
            .toList();
    int index = ordered.indexOf(workload.getMetadata().getName());
    return index < 0 ? ordered.size() + 1 : index + 1;
  }

  /**
   * Whether the operator ever made this workload's role: only then is a stricter policy met by
   * narrowing. A status claiming so wrongly earns a narrowed role, never a wider one.
   */
  private static boolean everCreated(SecureWorkload workload) {
    return Optional.ofNullable(workload.getStatus()).map(s -> s.getRoleArn()).isPresent();
  }

  private static SecureWorkload withSpec(SecureWorkload workload, SecureWorkloadSpec spec) {
    var copy = new SecureWorkload();
    copy.setMetadata(workload.getMetadata());
    copy.setSpec(spec);
    copy.setStatus(workload.getStatus());
    return copy;
  }
}
