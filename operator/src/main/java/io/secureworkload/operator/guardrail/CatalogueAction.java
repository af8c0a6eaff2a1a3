package io.secureworkload.operator.guardrail;

import java.util.List;

/**
 * An IAM action, as AWS's Service Authorization Reference describes it.
 *
 * @param service the service prefix, lower case as AWS writes it, such as {@code s3}
 * @param name the action's name in AWS casing, such as {@code GetObject}
 * @param accessLevel what the action does, by AWS's classification
 * @param resourceTypes the resource types a statement can name for this action; empty when the
 *     action allows no resource-level permissions (its statements need {@code "Resource": "*"})
 * @param conditionKeys every condition key AWS lists for the action, with any of its resource types
 *     or without one; the resource types' own keys are in {@link ResourceType#conditionKeys()}
 */
public record CatalogueAction(
    String service,
    String name,
    AccessLevel accessLevel,
    List<ResourceType> resourceTypes,
    List<String> conditionKeys) {

  public CatalogueAction {
    resourceTypes = List.copyOf(resourceTypes);
    conditionKeys = List.copyOf(conditionKeys);
  }

  /** The action as a policy names it, such as {@code s3:GetObject}. */
  public String fullName() {
    return service + ":" + name;
  }

  /** Whether a statement can name resources for this action, rather than only {@code *}. */
  public boolean hasResourceLevelPermissions() {
    return !resourceTypes.isEmpty();
  }
}
