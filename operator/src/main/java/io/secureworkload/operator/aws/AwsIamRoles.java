package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.AwsCallException;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.RoleChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;

/** {@link IamRoles} on the AWS SDK, behind one rate limit shared by every reconciliation. */
public final class AwsIamRoles implements IamRoles {

  static final int LIST_PAGE_SIZE = 1000;

  private final IamClient iam;
  private final RateLimiter rateLimiter;

  public AwsIamRoles(IamClient iam, RateLimiter rateLimiter) {
    this.iam = iam;
    this.rateLimiter = rateLimiter;
  }

  @Override
  public Optional<ActualRole> find(String roleName) {
    Role role;
    try {
      role = call("GetRole", () -> iam.getRole(r -> r.roleName(roleName)).role());
    } catch (AwsCallException e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
    var inline = new HashMap<String, String>();
    var policyNames =
        call(
            "ListRolePolicies",
            () ->
                iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames().stream()
                    .toList());
    for (var policyName : policyNames) {
      var document =
          call(
              "GetRolePolicy",
              () ->
                  iam.getRolePolicy(r -> r.roleName(roleName).policyName(policyName))
                      .policyDocument());
      inline.put(policyName, PolicyDocuments.decode(document));
    }
    var attached =
        call(
            "ListAttachedRolePolicies",
            () ->
                iam
                    .listAttachedRolePoliciesPaginator(r -> r.roleName(roleName))
                    .attachedPolicies()
                    .stream()
                    .map(AttachedPolicy::policyArn)
                    .toList());
    return Optional.of(toActual(role, inline, new HashSet<>(attached)));
  }

  @Override
  public ActualRole create(DesiredRole desired) {
    var role =
        call(
            "CreateRole",
            () ->
                iam.createRole(
                        r ->
                            r.roleName(desired.name())
                                .path(desired.path())
                                .description(desired.description())
                                .assumeRolePolicyDocument(desired.trustPolicy())
                                .maxSessionDuration(desired.maxSessionDurationSeconds())
                                .permissionsBoundary(desired.permissionsBoundaryArn())
                                .tags(tags(desired.tags())))
                    .role());
    var inline = new HashMap<String, String>();
    if (desired.inlinePolicy() != null) {
      apply(
          desired.name(),
          new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy()));
      inline.put(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy());
    }
    for (var arn : desired.managedPolicyArns()) {
      apply(desired.name(), new RoleChange.AttachManagedPolicy(arn));
    }
    return new ActualRole(
        role.roleName(),
        role.arn(),
        role.path(),
        role.roleId(),
        desired.description(),
        desired.trustPolicy(),
        inline,
        desired.managedPolicyArns(),
        desired.maxSessionDurationSeconds(),
        desired.permissionsBoundaryArn(),
        desired.tags());
  }

  @Override
  public void apply(String roleName, RoleChange change) {
    call(change.operation(), () -> send(roleName, change));
  }

  /** Java 17 has no pattern matching in switch, hence the chain. */
  private Object send(String roleName, RoleChange change) {
    if (change instanceof RoleChange.UpdateTrustPolicy c) {
      return iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(c.document()));
    } else if (change instanceof RoleChange.UpdateRoleSettings c) {
      return iam.updateRole(
          r ->
              r.roleName(roleName)
                  .description(c.description())
                  .maxSessionDuration(c.maxSessionDurationSeconds()));
    } else if (change instanceof RoleChange.PutInlinePolicy c) {
      return iam.putRolePolicy(
          r -> r.roleName(roleName).policyName(c.policyName()).policyDocument(c.document()));
    } else if (change instanceof RoleChange.DeleteInlinePolicy c) {
      return iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(c.policyName()));
    } else if (change instanceof RoleChange.AttachManagedPolicy c) {
      return iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
    } else if (change instanceof RoleChange.DetachManagedPolicy c) {
      return iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
    } else if (change instanceof RoleChange.PutPermissionsBoundary c) {
      return iam.putRolePermissionsBoundary(
          r -> r.roleName(roleName).permissionsBoundary(c.policyArn()));
    } else if (change instanceof RoleChange.TagRole c) {
      return iam.tagRole(r -> r.roleName(roleName).tags(tags(c.tags())));
    }
    throw new IllegalArgumentException("Unknown role change " + change);
  }

  @Override
  public Optional<Map<String, String>> tags(String roleName) {
    try {
      var role = call("GetRole", () -> iam.getRole(r -> r.roleName(roleName)).role());
      return Optional.of(toActualTags(role));
    } catch (AwsCallException e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Reads what holds the role at the moment of deletion rather than what the operator remembers:
   * people attach instance profiles and policies by hand, and IAM refuses DeleteRole while any is
   * left (DeleteConflict).
   */
  @Override
  public void delete(String roleName) {
    List<String> profiles;
    try {
      profiles = listInstanceProfiles(roleName);
    } catch (AwsCallException e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return;
      }
      throw e;
    }
    for (var profile : profiles) {
      idempotent(
          "RemoveRoleFromInstanceProfile",
          () ->
              iam.removeRoleFromInstanceProfile(
                  r -> r.instanceProfileName(profile).roleName(roleName)));
    }
    var attached =
        idempotent(
            "ListAttachedRolePolicies", () -> attachedPolicyArns(roleName), List.<String>of());
    for (var arn : attached) {
      idempotent(
          "DetachRolePolicy", () -> iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(arn)));
    }
    var inline =
        idempotent(
            "ListRolePolicies",
            () ->
                iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames().stream()
                    .toList(),
            List.<String>of());
    for (var policyName : inline) {
      idempotent(
          "DeleteRolePolicy",
          () -> iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName)));
    }
    idempotent("DeleteRole", () -> iam.deleteRole(r -> r.roleName(roleName)));
  }

  /** One ListRoles call per page of {@value #LIST_PAGE_SIZE} roles (IAM's largest page). */
  @Override
  public List<ListedRole> list(String pathPrefix) {
    var roles = new ArrayList<ListedRole>();
    String marker = null;
    do {
      var from = marker;
      var page =
          call(
              "ListRoles",
              () ->
                  iam.listRoles(
                      r -> r.pathPrefix(pathPrefix).maxItems(LIST_PAGE_SIZE).marker(from)));
      page.roles()
          .forEach(
              role ->
                  roles.add(
                      new ListedRole(
                          role.roleName(),
                          role.arn(),
                          role.path(),
                          role.roleId(),
                          role.description(),
                          PolicyDocuments.decode(role.assumeRolePolicyDocument()),
                          sessionDuration(role.maxSessionDuration()))));
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
    } while (marker != null);
    return roles;
  }

  /**
   * {@code GetAccountAuthorizationDetails} has no path filter: it pages through every role of the
   * account, and the roles outside the path are dropped here. Session duration and description come
   * from the listing under the path, made first: a role made between the two calls waits for the
   * next sweep.
   */
  @Override
  public List<ActualRole> snapshot(String pathPrefix) {
    var listed = new HashMap<String, ListedRole>();
    list(pathPrefix).forEach(role -> listed.put(role.name(), role));
    var roles = new ArrayList<ActualRole>();
    String marker = null;
    do {
      var from = marker;
      var page =
          call(
              "GetAccountAuthorizationDetails",
              () ->
                  iam.getAccountAuthorizationDetails(
                      r -> r.filter(EntityType.ROLE).maxItems(LIST_PAGE_SIZE).marker(from)));
      for (var detail : page.roleDetailList()) {
        var listing = listed.get(detail.roleName());
        if (listing != null && detail.path() != null && detail.path().startsWith(pathPrefix)) {
          roles.add(toActual(detail, listing));
        }
      }
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
    } while (marker != null);
    return roles;
  }

  private static ActualRole toActual(RoleDetail detail, ListedRole listing) {
    var inline = new HashMap<String, String>();
    detail
        .rolePolicyList()
        .forEach(p -> inline.put(p.policyName(), PolicyDocuments.decode(p.policyDocument())));
    var tags = new HashMap<String, String>();
    detail.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
    return new ActualRole(
        detail.roleName(),
        detail.arn(),
        detail.path(),
        detail.roleId(),
        listing.description(),
        PolicyDocuments.decode(detail.assumeRolePolicyDocument()),
        inline,
        detail.attachedManagedPolicies().stream()
            .map(AttachedPolicy::policyArn)
            .collect(Collectors.toSet()),
        listing.maxSessionDurationSeconds(),
        detail.permissionsBoundary() == null
            ? null
            : detail.permissionsBoundary().permissionsBoundaryArn(),
        tags);
  }

  /**
   * The optimistic deletion: one call per known policy and DeleteRole. A DeleteConflict means IAM
   * holds more than the operator knew, so the deletion reads what holds the role and clears it.
   */
  @Override
  public void delete(ActualRole known) {
    var roleName = known.name();
    try {
      for (var arn : new TreeSet<>(known.managedPolicyArns())) {
        idempotent(
            "DetachRolePolicy",
            () -> iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(arn)));
      }
      for (var policyName : new TreeSet<>(known.inlinePolicies().keySet())) {
        idempotent(
            "DeleteRolePolicy",
            () -> iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName)));
      }
      idempotent("DeleteRole", () -> iam.deleteRole(r -> r.roleName(roleName)));
    } catch (AwsCallException e) {
      if (!"DeleteConflict".equals(e.errorCode())) {
        throw e;
      }
      delete(roleName);
    }
  }

  private static int sessionDuration(Integer seconds) {
    return seconds == null ? 3600 : seconds;
  }

  /** Instance profiles are few per role; one page of the largest size holds them. */
  private List<String> listInstanceProfiles(String roleName) {
    var profiles = new ArrayList<String>();
    String marker = null;
    do {
      var from = marker;
      var page =
          call(
              "ListInstanceProfilesForRole",
              () ->
                  iam.listInstanceProfilesForRole(
                      r -> r.roleName(roleName).maxItems(LIST_PAGE_SIZE).marker(from)));
      page.instanceProfiles().forEach(p -> profiles.add(p.instanceProfileName()));
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
    } while (marker != null);
    return profiles;
  }

  private List<String> attachedPolicyArns(String roleName) {
    return iam
        .listAttachedRolePoliciesPaginator(r -> r.roleName(roleName))
        .attachedPolicies()
        .stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  /** A step of a deletion: what is already gone (NoSuchEntity) is done. */
  private void idempotent(String operation, Supplier<?> request) {
    idempotent(operation, request, null);
  }

  private <T> T idempotent(String operation, Supplier<T> request, T whenGone) {
    try {
      return call(operation, request);
    } catch (AwsCallException e) {
      if (e.getCause() instanceof NoSuchEntityException) {
        return whenGone;
      }
      throw e;
    }
  }

  private <T> T call(String operation, Supplier<T> request) {
    rateLimiter.acquire();
    try {
      return request.get();
    } catch (AwsServiceException e) {
      // An answer the SDK could not parse (an HTML error page, an empty body) has no code.
      var details = e.awsErrorDetails();
      var code =
          details == null || isBlank(details.errorCode())
              ? "HTTP" + e.statusCode()
              : details.errorCode();
      var message =
          details == null || isBlank(details.errorMessage())
              ? String.valueOf(e.getMessage())
              : details.errorMessage();
      boolean retryable = e.isThrottlingException() || e.statusCode() >= 500 || e.retryable();
      throw new AwsCallException(operation, code, message, retryable, e);
    } catch (SdkClientException e) {
      throw new AwsCallException(operation, "ClientError", e.getMessage(), true, e);
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  private static Map<String, String> toActualTags(Role role) {
    var tags = new HashMap<String, String>();
    if (role.hasTags()) {
      role.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
    }
    return tags;
  }

  private static ActualRole toActual(Role role, Map<String, String> inline, Set<String> attached) {
    var tags = toActualTags(role);
    return new ActualRole(
        role.roleName(),
        role.arn(),
        role.path(),
        role.roleId(),
        role.description(),
        PolicyDocuments.decode(role.assumeRolePolicyDocument()),
        inline,
        attached,
        sessionDuration(role.maxSessionDuration()),
        role.permissionsBoundary() == null
            ? null
            : role.permissionsBoundary().permissionsBoundaryArn(),
        tags);
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }
}
