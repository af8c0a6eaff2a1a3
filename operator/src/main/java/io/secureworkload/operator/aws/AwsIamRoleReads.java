package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.RoleQuota;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.SummaryKeyType;

/** What the operator reads of IAM: one role, its tags, and every role under a path in batches. */
final class AwsIamRoleReads {

  /** IAM's largest page: one listing call per 1,000 roles. */
  static final int LIST_PAGE_SIZE = 1000;

  private final IamClient iam;
  private final AwsCalls calls;

  AwsIamRoleReads(IamClient iam, AwsCalls calls) {
    this.iam = iam;
    this.calls = calls;
  }

  Optional<ActualRole> find(String roleName) {
    return getRole(roleName).map(role -> withPolicies(role, roleName));
  }

  Optional<Map<String, String>> tags(String roleName) {
    return getRole(roleName).map(role -> role.hasTags() ? IamShapes.tags(role.tags()) : Map.of());
  }

  Optional<List<String>> identityProviderAudiences(String providerArn) {
    return Optional.ofNullable(
        calls.unlessGone(
            "GetOpenIDConnectProvider",
            () ->
                List.copyOf(
                    iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(providerArn))
                        .clientIDList()),
            null));
  }

  /** The roles the account holds and its quota, as GetAccountSummary reports them. */
  RoleQuota roleQuota() {
    var summary = calls.call("GetAccountSummary", () -> iam.getAccountSummary().summaryMap());
    return new RoleQuota(
        summary.getOrDefault(SummaryKeyType.ROLES, 0),
        summary.getOrDefault(SummaryKeyType.ROLES_QUOTA, 1000),
        "GetAccountSummary");
  }

  private Optional<Role> getRole(String roleName) {
    return Optional.ofNullable(
        calls.unlessGone("GetRole", () -> iam.getRole(r -> r.roleName(roleName)).role(), null));
  }

  private ActualRole withPolicies(Role role, String roleName) {
    var inline = new HashMap<String, String>();
    for (var policyName : inlinePolicyNames(roleName)) {
      var document =
          calls.call(
              "GetRolePolicy",
              () ->
                  iam.getRolePolicy(r -> r.roleName(roleName).policyName(policyName))
                      .policyDocument());
      inline.put(policyName, PolicyDocuments.decode(document));
    }
    return IamShapes.role(role, inline, new HashSet<>(attachedPolicyArns(roleName)));
  }

  List<String> inlinePolicyNames(String roleName) {
    return calls.listing(
        "ListRolePolicies",
        () -> iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames());
  }

  List<String> attachedPolicyArns(String roleName) {
    return calls
        .listing(
            "ListAttachedRolePolicies",
            () ->
                iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName)).attachedPolicies())
        .stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  /** Instance profiles are few per role; one page of the largest size holds them. */
  List<String> instanceProfileNames(String roleName) {
    return calls
        .listing(
            "ListInstanceProfilesForRole",
            () ->
                iam.listInstanceProfilesForRolePaginator(
                        r -> r.roleName(roleName).maxItems(LIST_PAGE_SIZE))
                    .instanceProfiles())
        .stream()
        .map(InstanceProfile::instanceProfileName)
        .toList();
  }

  List<ListedRole> list(String pathPrefix) {
    return calls
        .listing(
            "ListRoles",
            () ->
                iam.listRolesPaginator(r -> r.pathPrefix(pathPrefix).maxItems(LIST_PAGE_SIZE))
                    .roles())
        .stream()
        .map(IamShapes::listed)
        .toList();
  }

  /**
   * {@code GetAccountAuthorizationDetails} has no path filter: it pages through every role of the
   * account, and the roles outside the path are dropped here. Session duration and description come
   * from the listing under the path, made first: a role made between the two calls waits for the
   * next sweep.
   */
  List<ActualRole> snapshot(String pathPrefix) {
    var listed =
        list(pathPrefix).stream()
            .collect(Collectors.toMap(ListedRole::name, Function.identity(), (a, b) -> b));
    // Filtered page by page: the account's other roles are never held all at once.
    return calls.call(
        "GetAccountAuthorizationDetails",
        () ->
            iam
                .getAccountAuthorizationDetailsPaginator(
                    r -> r.filter(EntityType.ROLE).maxItems(LIST_PAGE_SIZE))
                .roleDetailList()
                .stream()
                .filter(d -> d.path() != null && d.path().startsWith(pathPrefix))
                .filter(d -> listed.containsKey(d.roleName()))
                .map(d -> IamShapes.role(d, listed.get(d.roleName())))
                .toList());
  }
}
