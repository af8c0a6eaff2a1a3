package io.secureworkload.operator.guardrail;

import lombok.Builder;

/**
 * What the evaluation needs besides the workload and its policies; the reconciler fills it in.
 *
 * @param accountId the operator's own account, {@code ${account}}
 * @param partition {@code ${partition}}, for example aws
 * @param region {@code ${region}}, and the region of secrets whose spec names none
 * @param namespace {@code ${namespace}}
 * @param positionInNamespace this workload's 1-based place among its namespace's SecureWorkloads,
 *     oldest first (creation time, then name): the oldest ones stay within a lowered limit
 * @param roleName the role name the operator derives; null skips its length check
 * @param trustPolicy the trust policy document; null skips its size check
 * @param tagCount how many tags the role gets
 * @param maxTrustPolicyCharacters the account's trust policy quota (IAM default 2,048)
 * @param maxManagedPoliciesPerRole the account's quota (IAM default 10)
 * @param podIdentityUnavailable why EKS Pod Identity cannot serve this workload's role (it lives in
 *     another account than the cluster); null when it can
 */
@Builder(toBuilder = true)
public record GuardrailContext(
    String accountId,
    String partition,
    String region,
    String namespace,
    int positionInNamespace,
    String roleName,
    String trustPolicy,
    int tagCount,
    int maxTrustPolicyCharacters,
    int maxManagedPoliciesPerRole,
    String podIdentityUnavailable) {

  public static final int DEFAULT_MAX_TRUST_POLICY_CHARACTERS = 2048;
  public static final int DEFAULT_MAX_MANAGED_POLICIES_PER_ROLE = 10;

  public GuardrailContext {
    positionInNamespace = Math.max(positionInNamespace, 1);
    maxTrustPolicyCharacters =
        maxTrustPolicyCharacters > 0
            ? maxTrustPolicyCharacters
            : DEFAULT_MAX_TRUST_POLICY_CHARACTERS;
    maxManagedPoliciesPerRole =
        maxManagedPoliciesPerRole > 0
            ? maxManagedPoliciesPerRole
            : DEFAULT_MAX_MANAGED_POLICIES_PER_ROLE;
  }

  public Placeholders placeholders() {
    return new Placeholders(namespace, accountId, region, partition);
  }
}
