package io.secureworkload.operator.iam;

import java.util.Map;
import java.util.Set;
import lombok.With;

/**
 * An IAM role as IAM reports it. Built from {@link #named} and the withers, so that no caller
 * depends on the order of its eleven parts.
 *
 * @param roleId IAM's unique id of this incarnation of the role (a role deleted and created again
 *     with the same name gets a new one), or null where it is not known
 * @param trustPolicy decoded JSON
 * @param inlinePolicies policy name to decoded JSON document
 * @param permissionsBoundaryArn the boundary, or null for none
 */
@With
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

  /** A role of which only the name is known: no policies, no tags, nothing else yet. */
  public static ActualRole named(String name) {
    return new ActualRole(
        name, null, null, null, null, null, Map.of(), Set.of(), 0, null, Map.of());
  }

  /** Where IAM keeps the role and which incarnation of it this is. */
  public ActualRole withIdentity(String arn, String path, String roleId) {
    return withArn(arn).withPath(path).withRoleId(roleId);
  }
}
