package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.AccountMapping;
import io.secureworkload.operator.api.IamGuardrails;
import io.secureworkload.operator.api.IdentityGuardrails;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.NetworkGuardrails;
import io.secureworkload.operator.api.SecretGuardrails;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import io.secureworkload.operator.api.SecurityGroupGuardrails;
import io.secureworkload.operator.api.WorkloadLimits;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One policy's rules with every unset field replaced by its built-in default. Patterns keep their
 * placeholders; they are filled in per workload. Allow-lists are closed: an unset one is the
 * default's ({@link DataPlaneActions}, {@link NamespaceScopedResources}), never "anything"; only
 * {@code allowedCidrs} keeps null for "no allow-list". Patterns that {@link PolicyPatterns} finds
 * unsafe are left out, so they match nothing.
 *
 * @param wildcardResourceActions actions the policy lets use {@code Resource: "*"} although they
 *     support resource-level permissions
 * @param permissionsBoundaryArn null when the policy names none
 * @param fallbackSecurityGroupId null when the policy names none
 * @param account the account the policy's namespaces keep their roles in; null for the operator's
 * @param allowedIdentityModes the identity modes the policy allows; both when it names none
 * @param defaultIdentityMode the mode of a workload that names none; null when the policy names
 *     none
 */
public record PolicyRules(
    String name,
    Mode mode,
    List<String> deniedActions,
    List<String> allowedActions,
    List<String> wildcardResourceActions,
    List<String> allowedResources,
    List<String> allowedAccounts,
    List<String> allowedManagedPolicyArns,
    String permissionsBoundaryArn,
    int maxSessionDurationSeconds,
    boolean allowRetain,
    List<String> allowEscalationActions,
    List<String> allowedSecretNames,
    List<String> allowedKmsKeys,
    boolean allowSyncToSecrets,
    List<String> allowedSecurityGroupIds,
    String fallbackSecurityGroupId,
    List<String> allowedCidrs,
    List<String> deniedCidrs,
    int maxWorkloadsPerNamespace,
    AccountMapping account,
    Set<IdentityMode> allowedIdentityModes,
    IdentityMode defaultIdentityMode) {

  public static PolicyRules of(SecureWorkloadPolicy policy) {
    var spec = Optional.ofNullable(policy.getSpec()).orElseGet(SecureWorkloadPolicySpec::new);
    var iam = Optional.ofNullable(spec.getIam()).orElseGet(IamGuardrails::new);
    var secrets = Optional.ofNullable(spec.getSecrets()).orElseGet(SecretGuardrails::new);
    var groups =
        Optional.ofNullable(spec.getSecurityGroups()).orElseGet(SecurityGroupGuardrails::new);
    var network = Optional.ofNullable(spec.getNetwork()).orElseGet(NetworkGuardrails::new);
    var limits = Optional.ofNullable(spec.getLimits()).orElseGet(WorkloadLimits::new);
    var identity = Optional.ofNullable(spec.getIdentity()).orElseGet(IdentityGuardrails::new);

    return new PolicyRules(
        policy.getMetadata().getName(),
        Optional.ofNullable(spec.getMode()).orElse(Mode.Enforce),
        orEmpty(iam.getDeniedActions()),
        or(iam.getAllowedActions(), DataPlaneActions.actions(), List::copyOf),
        orEmpty(iam.getWildcardResourceActions()),
        or(
            PolicyPatterns.safeArns(iam.getAllowedResources()),
            NamespaceScopedResources.patterns(),
            List::copyOf),
        or(iam.getAllowedAccounts(), DefaultGuardrails.ALLOWED_ACCOUNTS, List::copyOf),
        orEmpty(PolicyPatterns.safeArns(iam.getAllowedManagedPolicyArns())),
        iam.getPermissionsBoundaryArn(),
        or(
            iam.getMaxSessionDurationSeconds(),
            DefaultGuardrails.MAX_SESSION_DURATION_SECONDS,
            Function.identity()),
        or(iam.getAllowRetain(), DefaultGuardrails.ALLOW_RETAIN, Function.identity()),
        orEmpty(iam.getAllowEscalationActions()),
        or(
            PolicyPatterns.safeNames(secrets.getAllowedNames()),
            DefaultGuardrails.ALLOWED_SECRET_NAMES,
            List::copyOf),
        or(
            PolicyPatterns.safeArns(secrets.getAllowedKmsKeys()),
            DefaultGuardrails.ALLOWED_KMS_KEYS,
            List::copyOf),
        or(
            secrets.getAllowSyncToSecrets(),
            DefaultGuardrails.ALLOW_SYNC_TO_SECRETS,
            Function.identity()),
        orEmpty(groups.getAllowedGroupIds()),
        groups.getFallbackGroupId(),
        copyOrNull(network.getAllowedCidrs()),
        orEmpty(network.getDeniedCidrs()),
        or(
            limits.getMaxWorkloadsPerNamespace(),
            DefaultGuardrails.MAX_WORKLOADS_PER_NAMESPACE,
            Function.identity()),
        spec.getAccount(),
        identity.getAllowedModes() == null || identity.getAllowedModes().isEmpty()
            ? EnumSet.allOf(IdentityMode.class)
            : EnumSet.copyOf(identity.getAllowedModes()),
        identity.getDefaultMode());
  }

  public boolean enforced() {
    return mode == Mode.Enforce;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  private static List<String> copyOrNull(List<String> values) {
    return values == null ? null : List.copyOf(values);
  }

  private static <T, R> R or(T value, R fallback, Function<T, R> convert) {
    return value == null ? fallback : convert.apply(value);
  }
}
