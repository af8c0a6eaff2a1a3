package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.secureworkload.operator.api.AccountMapping;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.guardrail.AdmissionDecision;
import io.secureworkload.operator.guardrail.DefaultGuardrails;
import io.secureworkload.operator.guardrail.EffectivePolicy;
import io.secureworkload.operator.guardrail.ExistingState;
import io.secureworkload.operator.guardrail.GuardrailContext;
import io.secureworkload.operator.guardrail.PolicySelection;
import io.secureworkload.operator.guardrail.Verdict;
import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches what the guardrails' decision ({@link AdmissionDecision}) needs, once per reconciliation,
 * and shares it with every dependent: they all build from {@link Decision#admitted()}, never from
 * the spec as written. What exists now (the role, the children) is read only while an enforced
 * violation remains.
 */
public final class Admission {

  private static final String CONTEXT_KEY = "secureworkload.io/admission";

  private final OperatorSettings settings;
  private final WorkloadRole workloadRole;
  private final IamAccounts accounts;

  public Admission(OperatorSettings settings, WorkloadRole workloadRole, IamAccounts accounts) {
    this.settings = settings;
    this.workloadRole = workloadRole;
    this.accounts = accounts;
  }

  /**
   * @param admitted the workload with the spec that is written: as written when it complies or
   *     violations are only audited, else what exists minus what the policies refuse
   * @param roleRefused an enforced violation remains and the workload has no role: none is made
   * @param namespaceUid the namespace's uid, null while the namespace is not known yet
   * @param permissionsBoundaryArn the boundary the role gets, null for none
   * @param inlinePolicy the role's inline policy exactly as it is sent, null for none
   * @param keptRefusedGroups refused security groups that stay for want of a fallback group
   * @param account the account the role lives in, and how the operator reaches it
   * @param roleArn the role's ARN in that account, known before the role exists
   * @param identityMode how the pods get the role's credentials; null when no mode is allowed
   */
  public record Decision(
      SecureWorkload admitted,
      Verdict verdict,
      boolean roleRefused,
      String namespaceUid,
      String permissionsBoundaryArn,
      List<String> policyNames,
      String inlinePolicy,
      List<String> keptRefusedGroups,
      AccountTarget account,
      String roleArn,
      IdentityMode identityMode) {

    /** The violations that refuse or narrow, for the condition, the Event and the exception. */
    public String enforcedSummary() {
      return Verdict.summary(verdict.enforced(), 5);
    }

    /** The namespace is always known while its objects exist; until the informer has it, wait. */
    public String requireNamespaceUid() {
      if (namespaceUid == null) {
        throw new IllegalStateException("The SecureWorkload's namespace is not in the cache yet");
      }
      return namespaceUid;
    }

    /**
     * The role as admitted, in this account (its trust names that account's provider), trusted by
     * the identity modes given.
     */
    public DesiredRole desiredRole(
        WorkloadRole workloadRole, String accountId, Set<IdentityMode> trusted) {
      return workloadRole.desired(
          admitted,
          accountId,
          requireNamespaceUid(),
          permissionsBoundaryArn,
          inlinePolicy,
          trusted);
    }

    /** The role as admitted, trusted by the decided identity mode only. */
    public DesiredRole desiredRole(WorkloadRole workloadRole, String accountId) {
      return desiredRole(
          workloadRole,
          accountId,
          identityMode == null ? Set.of(IdentityMode.IRSA) : Set.of(identityMode));
    }

    /** Refuses to make a role while an enforced violation remains; called before the role sync. */
    public void requireRoleAllowed() {
      if (roleRefused) {
        throw new TerminalException(
            ConditionReason.GuardrailViolation,
            "The spec breaks the namespace's guardrails, so no IAM role is made: "
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
    var namespaceUid = namespace.map(n -> n.getMetadata().getUid()).orElse(null);
    var policy =
        EffectivePolicy.of(
            PolicySelection.governing(policies(context), namespaceName, labels, defaultPolicy()));
    var account = account(policy, workload);
    var guardrails =
        GuardrailContext.builder()
            .accountId(account.id())
            .partition(settings.partition())
            .region(settings.awsRegion())
            .namespace(namespaceName)
            .positionInNamespace(positionInNamespace(workload, context))
            .roleName(workloadRole.nameInUse(workload))
            .trustPolicy(workloadRole.trustPolicy(workload, account.id()))
            .tagCount(WorkloadRole.OWNERSHIP_TAG_COUNT)
            .maxTrustPolicyCharacters(settings.maxTrustPolicyCharacters())
            .maxManagedPoliciesPerRole(settings.maxManagedPoliciesPerRole())
            .podIdentityUnavailable(podIdentityUnavailable(account))
            .build();
    var decision =
        AdmissionDecision.decide(
            workload,
            policy,
            guardrails,
            settings.permissionsBoundaryArn().orElse(null),
            () -> existing(workload, namespaceUid, account, context),
            IdentitySwitch.currentMode(workload.getStatus()));
    return new Decision(
        withSpec(workload, decision.spec()),
        decision.verdict(),
        decision.roleRefused(),
        namespaceUid,
        decision.permissionsBoundaryArn(),
        policy.policyNames(),
        decision.inlinePolicy(),
        decision.keptRefusedGroups(),
        account,
        workloadRole.arn(workload, account.id()),
        decision.identityMode());
  }

  /**
   * EKS Pod Identity hands out roles of the cluster's own account only. A role in another account
   * would need a second role in the cluster's account that chains to it (the association's target
   * role), doubling what the operator makes and may be granted; the operator does not do that.
   */
  private String podIdentityUnavailable(AccountTarget account) {
    if (account.isHome()) {
      return null;
    }
    return "EKS Pod Identity serves roles of the cluster's account only, and this namespace's"
        + " roles live in account "
        + account.id()
        + " (spec.account of its SecureWorkloadPolicy); use IRSA, whose trust names that"
        + " account's OIDC provider";
  }

  /**
   * The account the Enforce policies keep the namespace's roles in; the operator's own when none
   * names one. When they disagree, none is picked: the role stays where it is (its status names
   * it), to be tightened there, and a workload that has none gets none (the conflict blocks).
   */
  private AccountTarget account(EffectivePolicy policy, SecureWorkload workload) {
    var named = policy.account();
    if (named.isPresent()) {
      return target(named.get());
    }
    if (policy.accountConflict()) {
      var current = currentAccountId(workload);
      return policy.accounts().values().stream()
          .filter(mapping -> mapping.getId().equals(current))
          .findFirst()
          .map(Admission::target)
          .orElseGet(() -> accounts.home().target());
    }
    return accounts.home().target();
  }

  static AccountTarget target(AccountMapping mapping) {
    var secret = mapping.getExternalIdSecretRef();
    return new AccountTarget(
        mapping.getId(),
        mapping.getRoleArn(),
        secret == null ? null : secret.getName(),
        secret == null ? null : secret.keyOrDefault());
  }

  /** The account of the role the status names, if any. */
  static String currentAccountId(SecureWorkload workload) {
    var status = workload.getStatus();
    return status == null ? null : Arns.accountOf(status.getRoleArn());
  }

  /** What exists of the workload: the role (ours by its tags) and the children (ours by owner). */
  private ExistingState existing(
      SecureWorkload workload,
      String namespaceUid,
      AccountTarget account,
      Context<SecureWorkload> context) {
    return ExistingChildren.of(workload, context)
        .withRole(existingRole(workload, namespaceUid, account).orElse(null));
  }

  private Optional<ExistingState.Role> existingRole(
      SecureWorkload workload, String namespaceUid, AccountTarget account) {
    if (namespaceUid == null) {
      throw new IllegalStateException("The SecureWorkload's namespace is not in the cache yet");
    }
    // Read from IAM, not from what is known of it: a role deleted meanwhile must not be made
    // again, and one changed meanwhile is tightened from what it now holds.
    var name = workloadRole.nameInUse(workload);
    var role = accounts.of(account).roles().find(name);
    return role.filter(r -> r.arn() != null && workloadRole.owns(workload, namespaceUid, r))
        .map(
            r ->
                new ExistingState.Role(
                    r.inlinePolicies().get(DesiredRole.INLINE_POLICY_NAME),
                    r.managedPolicyArns(),
                    r.permissionsBoundaryArn(),
                    r.maxSessionDurationSeconds()));
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
  static List<SecureWorkloadPolicy> policies(Context<SecureWorkload> context) {
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

  private static SecureWorkload withSpec(SecureWorkload workload, SecureWorkloadSpec spec) {
    var copy = new SecureWorkload();
    copy.setMetadata(workload.getMetadata());
    copy.setSpec(spec);
    copy.setStatus(workload.getStatus());
    return copy;
  }
}
