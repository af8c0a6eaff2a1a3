package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.EgressRule;
import io.secureworkload.operator.api.IngressRule;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SyncedSecret;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the operator wrote for a workload and still finds, read back into the spec's own vocabulary:
 * the upper bound of what a workload with an enforced violation may keep. Each part is null when
 * its object does not exist (or is not the workload's own).
 *
 * @param role the workload's role, ours by its tags
 * @param secretObjects the SecretProviderClass's objects
 * @param syncedSecrets the SecretProviderClass's synced Secrets; null with secretObjects
 * @param securityGroupIds the SecurityGroupPolicy's groups
 * @param serviceAccountName the name of the ServiceAccount the operator made for the workload
 * @param podSelector the labels the workload's existing children select pods by
 * @param ingress the rules of the ingress NetworkPolicy
 * @param egress the rules of the egress NetworkPolicy, the operator's DNS and AWS rules included
 * @param isolatesIngress some existing NetworkPolicy of the workload isolates its pods' ingress
 * @param isolatesEgress some existing NetworkPolicy of the workload isolates its pods' egress
 */
public record ExistingState(
    Role role,
    List<SecretObject> secretObjects,
    List<SyncedSecret> syncedSecrets,
    List<String> securityGroupIds,
    String serviceAccountName,
    Map<String, String> podSelector,
    List<IngressRule> ingress,
    List<EgressRule> egress,
    boolean isolatesIngress,
    boolean isolatesEgress) {

  /**
   * @param inlinePolicy the operator's inline policy as IAM holds it, null for none
   */
  public record Role(
      String inlinePolicy,
      Set<String> managedPolicyArns,
      String permissionsBoundaryArn,
      int maxSessionDurationSeconds) {

    public Role {
      managedPolicyArns = Set.copyOf(managedPolicyArns);
    }
  }

  /** A workload of which nothing exists yet. */
  public static ExistingState nothing() {
    return new ExistingState(null, null, null, null, null, null, null, null, false, false);
  }

  /** The same state with the role that exists. */
  public ExistingState withRole(Role existingRole) {
    return new ExistingState(
        existingRole,
        secretObjects,
        syncedSecrets,
        securityGroupIds,
        serviceAccountName,
        podSelector,
        ingress,
        egress,
        isolatesIngress,
        isolatesEgress);
  }

  public boolean roleExists() {
    return role != null;
  }
}
