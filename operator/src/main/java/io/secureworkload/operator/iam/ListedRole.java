package io.secureworkload.operator.iam;

/**
 * A role as IAM lists it among many (ListRoles): enough to tell that it exists, which incarnation
 * it is, and whether its trust and settings are still the desired ones, without a read per role.
 *
 * @param roleId IAM's unique id of this incarnation of the role: a role deleted and created again
 *     with the same name and ARN gets a new one
 * @param trustPolicy decoded JSON
 */
public record ListedRole(
    String name,
    String arn,
    String path,
    String roleId,
    String description,
    String trustPolicy,
    int maxSessionDurationSeconds) {}
