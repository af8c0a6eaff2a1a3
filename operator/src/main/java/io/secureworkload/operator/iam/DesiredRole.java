package io.secureworkload.operator.iam;

import java.util.Map;
import java.util.Set;

/**
 * The IAM role a workload should have.
 *
 * @param inlinePolicy the single inline policy's document, or null for none
 * @param permissionsBoundaryArn the boundary, or null for none
 */
public record DesiredRole(
    String name,
    String path,
    String description,
    String trustPolicy,
    String inlinePolicy,
    Set<String> managedPolicyArns,
    int maxSessionDurationSeconds,
    String permissionsBoundaryArn,
    Map<String, String> tags) {

  /** The one inline policy the operator manages on each role. */
  public static final String INLINE_POLICY_NAME = "secureworkload";

  public DesiredRole {
    managedPolicyArns = Set.copyOf(managedPolicyArns);
    tags = Map.copyOf(tags);
  }
}
