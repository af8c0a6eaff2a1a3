package io.secureworkload.operator.iam;

import java.util.Map;
import java.util.Set;

/**
 * An IAM role as IAM reports it.
 *
 * @param roleId IAM's unique id of this incarnation of the role (a role deleted and created again
 *     with the same name gets a new one), or null where it is not known
 * @param trustPolicy decoded JSON
 * @param inlinePolicies policy name to decoded JSON document
 * @param permissionsBoundaryArn the boundary, or null for none
 */
public record ActualRole(
    String name,
    String arn,
    String path,
    String roleId,
    String description,
    String trustPolicy,
    Map<String, String> inlinePolicies,
    Set<String> managedPolicyArns,
    int maxSessionDurationSeconds,
    String permissionsBoundaryArn,
    Map<String, String> tags) {

  public ActualRole {
    inlinePolicies = Map.copyOf(inlinePolicies);
    managedPolicyArns = Set.copyOf(managedPolicyArns);
    tags = Map.copyOf(tags);
  }
}
