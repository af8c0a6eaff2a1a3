package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The one mapping between IAM's SDK shapes and the operator's: a role as GetRole, ListRoles and
 * GetAccountAuthorizationDetails report it, and tags both ways. Documents come out decoded.
 */
final class IamShapes {

  /** IAM's session duration when a role was made without one. */
  private static final int DEFAULT_SESSION_SECONDS = 3600;

  private IamShapes() {}

  /** A role as GetRole reports it, with its policies read one call each. */
  static ActualRole role(Role role, Map<String, String> inlinePolicies, Set<String> attached) {
    return identity(role.roleName(), role.arn(), role.path(), role.roleId())
        .withDescription(role.description())
        .withTrustPolicy(PolicyDocuments.decode(role.assumeRolePolicyDocument()))
        .withInlinePolicies(inlinePolicies)
        .withManagedPolicyArns(attached)
        .withMaxSessionDurationSeconds(sessionDuration(role.maxSessionDuration()))
        .withPermissionsBoundaryArn(boundary(role.permissionsBoundary()))
        .withTags(role.hasTags() ? tags(role.tags()) : Map.of());
  }

  /**
   * A role as GetAccountAuthorizationDetails reports it: everything but its session duration and
   * description, which come from its listing.
   */
  static ActualRole role(RoleDetail detail, ListedRole listing) {
    var inline = new HashMap<String, String>();
    detail
        .rolePolicyList()
        .forEach(p -> inline.put(p.policyName(), PolicyDocuments.decode(p.policyDocument())));
    return identity(detail.roleName(), detail.arn(), detail.path(), detail.roleId())
        .withDescription(listing.description())
        .withTrustPolicy(PolicyDocuments.decode(detail.assumeRolePolicyDocument()))
        .withInlinePolicies(inline)
        .withManagedPolicyArns(policyArns(detail.attachedManagedPolicies()))
        .withMaxSessionDurationSeconds(listing.maxSessionDurationSeconds())
        .withPermissionsBoundaryArn(boundary(detail.permissionsBoundary()))
        .withTags(tags(detail.tags()));
  }

  /** A role as ListRoles reports it among many. */
  static ListedRole listed(Role role) {
    return new ListedRole(
        role.roleName(),
        role.arn(),
        role.path(),
        role.roleId(),
        role.description(),
        PolicyDocuments.decode(role.assumeRolePolicyDocument()),
        sessionDuration(role.maxSessionDuration()));
  }

  /** A role known so far by its name, where IAM keeps it and which incarnation it is. */
  static ActualRole identity(String name, String arn, String path, String roleId) {
    return ActualRole.named(name).withIdentity(arn, path, roleId);
  }

  static Set<String> policyArns(Collection<AttachedPolicy> attached) {
    return attached.stream().map(AttachedPolicy::policyArn).collect(Collectors.toSet());
  }

  static Map<String, String> tags(Collection<Tag> tags) {
    var map = new HashMap<String, String>();
    tags.forEach(tag -> map.put(tag.key(), tag.value()));
    return map;
  }

  static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  private static String boundary(AttachedPermissionsBoundary boundary) {
    return boundary == null ? null : boundary.permissionsBoundaryArn();
  }

  private static int sessionDuration(Integer seconds) {
    return seconds == null ? DEFAULT_SESSION_SECONDS : seconds;
  }
}
