package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RoleQuota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IAM in memory, for unit tests of what uses {@link IamRoles}: keeps roles and instance profiles as
 * IAM would (DeleteRole refuses a role still in an instance profile or with policies, and every
 * role gets a new unique id when it is created), records every operation in order, and fails an
 * operation on request.
 */
public final class FakeIamRoles implements IamRoles {

  public static final String ACCOUNT = "123456789012";

  private final Map<String, ActualRole> roles = new ConcurrentHashMap<>();
  private final List<String> operations = new ArrayList<>();
  private final Map<String, AwsCallException> failures = new HashMap<>();
  // Instance profile name to the roles in it; IAM allows one role per profile, the fake does too.
  private final Map<String, Set<String>> instanceProfiles = new ConcurrentHashMap<>();
  private final AtomicLong nextRoleId = new AtomicLong(1);
  private final Set<String> missingProviders = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> providerAudiences = new ConcurrentHashMap<>();
  private volatile int roleQuota = 1000;
  private final java.util.concurrent.atomic.AtomicInteger accountReads =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile java.time.Duration accountReadDelay = java.time.Duration.ZERO;
  private final String account;

  /** The IAM of the unit tests' home account, {@link #ACCOUNT}. */
  public FakeIamRoles() {
    this(ACCOUNT);
  }

  /** The IAM of this account: the ARNs of the roles it makes name it. */
  public FakeIamRoles(String account) {
    this.account = account;
  }

  /**
   * Puts a role in place as if someone had made it, bypassing the operation log; a role given
   * without a unique id gets a new one, as every role IAM creates does.
   */
  public void put(ActualRole role) {
    roles.put(role.name(), role.roleId() == null ? withNewRoleId(role) : role);
  }

  /** Removes a role as someone would by hand in the console, bypassing the operation log. */
  public void remove(String roleName) {
    roles.remove(roleName);
  }

  /** IAM's unique id of the role as it exists now. */
  public Optional<String> roleId(String roleName) {
    return role(roleName).map(ActualRole::roleId);
  }

  /**
   * Creates an instance profile with this role in it, as someone reusing the role for EC2 would.
   */
  public void addToInstanceProfile(String profileName, String roleName) {
    if (!roles.containsKey(roleName)) {
      throw new IllegalArgumentException("No role " + roleName);
    }
    var members = instanceProfiles.computeIfAbsent(profileName, p -> ConcurrentHashMap.newKeySet());
    if (!members.isEmpty() && !members.contains(roleName)) {
      throw new IllegalStateException(profileName + " already holds a role");
    }
    members.add(roleName);
  }

  /** The roles in the instance profile, or empty if there is no such profile. */
  public Optional<Set<String>> instanceProfile(String profileName) {
    return Optional.ofNullable(instanceProfiles.get(profileName)).map(Set::copyOf);
  }

  public Optional<ActualRole> role(String name) {
    return Optional.ofNullable(roles.get(name));
  }

  /** Every operation so far, as IAM operation names (GetRole, CreateRole, PutRolePolicy, ...). */
  public synchronized List<String> operations() {
    return List.copyOf(operations);
  }

  public synchronized void clearOperations() {
    operations.clear();
  }

  /** The next calls of this operation fail with this AWS error code, until {@link #heal}. */
  public synchronized void failWith(String operation, String errorCode, boolean retryable) {
    failures.put(
        operation, AwsCallException.of(operation, errorCode, "injected", false, retryable, null));
  }

  public synchronized void heal() {
    failures.clear();
  }

  @Override
  public Optional<ActualRole> find(String roleName) {
    call("GetRole");
    return Optional.ofNullable(roles.get(roleName));
  }

  @Override
  public ActualRole create(DesiredRole desired) {
    call("CreateRole");
    if (roles.containsKey(desired.name())) {
      throw AwsCallException.of(
          "CreateRole",
          "EntityAlreadyExists",
          "Role " + desired.name() + " exists",
          false,
          false,
          null);
    }
    var role =
        ActualRole.named(desired.name())
            .withIdentity(
                "arn:aws:iam::" + account + ":role" + desired.path() + desired.name(),
                desired.path(),
                newRoleId())
            .withDescription(desired.description())
            .withTrustPolicy(desired.trustPolicy())
            .withMaxSessionDurationSeconds(desired.maxSessionDurationSeconds())
            .withPermissionsBoundaryArn(desired.permissionsBoundaryArn())
            .withTags(desired.tags());
    roles.put(role.name(), role);
    // As IAM: the role exists from CreateRole on, its policies come one call each.
    if (desired.inlinePolicy() != null) {
      apply(
          desired.name(),
          new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy()));
    }
    for (var arn : desired.managedPolicyArns()) {
      apply(desired.name(), new RoleChange.AttachManagedPolicy(arn));
    }
    return roles.get(role.name());
  }

  @Override
  public void apply(String roleName, RoleChange change) {
    call(change.operation());
    var role = roles.get(roleName);
    if (role == null) {
      throw AwsCallException.of(change.operation(), "NoSuchEntity", roleName, false, false, null);
    }
    var inline = new HashMap<>(role.inlinePolicies());
    var managed = new HashSet<>(role.managedPolicyArns());
    var tags = new HashMap<>(role.tags());
    var trust = role.trustPolicy();
    var description = role.description();
    var session = role.maxSessionDurationSeconds();
    var boundary = role.permissionsBoundaryArn();
    if (change instanceof RoleChange.UpdateTrustPolicy c) {
      trust = c.document();
    } else if (change instanceof RoleChange.UpdateRoleSettings c) {
      description = c.description();
      session = c.maxSessionDurationSeconds();
    } else if (change instanceof RoleChange.PutInlinePolicy c) {
      inline.put(c.policyName(), c.document());
    } else if (change instanceof RoleChange.DeleteInlinePolicy c) {
      inline.remove(c.policyName());
    } else if (change instanceof RoleChange.AttachManagedPolicy c) {
      managed.add(c.policyArn());
    } else if (change instanceof RoleChange.DetachManagedPolicy c) {
      managed.remove(c.policyArn());
    } else if (change instanceof RoleChange.PutPermissionsBoundary c) {
      boundary = c.policyArn();
    } else if (change instanceof RoleChange.TagRole c) {
      tags.putAll(c.tags());
    } else if (change instanceof RoleChange.UntagRole c) {
      tags.keySet().removeAll(c.keys());
    }
    roles.put(
        roleName,
        role.withDescription(description)
            .withTrustPolicy(trust)
            .withInlinePolicies(inline)
            .withManagedPolicyArns(managed)
            .withMaxSessionDurationSeconds(session)
            .withPermissionsBoundaryArn(boundary)
            .withTags(tags));
  }

  @Override
  public Optional<Map<String, String>> tags(String roleName) {
    call("GetRole");
    return Optional.ofNullable(roles.get(roleName)).map(ActualRole::tags);
  }

  @Override
  public void delete(String roleName) {
    call("ListInstanceProfilesForRole");
    if (!roles.containsKey(roleName)) {
      return;
    }
    instanceProfiles.forEach(
        (profile, members) -> {
          if (members.contains(roleName)) {
            call("RemoveRoleFromInstanceProfile");
            members.remove(roleName);
          }
        });
    call("ListAttachedRolePolicies");
    for (var arn : role(roleName).map(ActualRole::managedPolicyArns).orElse(Set.of())) {
      apply(roleName, new RoleChange.DetachManagedPolicy(arn));
    }
    call("ListRolePolicies");
    for (var name : role(roleName).map(r -> r.inlinePolicies().keySet()).orElse(Set.of())) {
      apply(roleName, new RoleChange.DeleteInlinePolicy(name));
    }
    deleteRole(roleName);
  }

  private void deleteRole(String roleName) {
    call("DeleteRole");
    var role = roles.get(roleName);
    if (role == null) {
      return;
    }
    var inProfile = instanceProfiles.values().stream().anyMatch(m -> m.contains(roleName));
    if (inProfile || !role.managedPolicyArns().isEmpty() || !role.inlinePolicies().isEmpty()) {
      throw AwsCallException.of(
          "DeleteRole",
          "DeleteConflict",
          "Cannot delete entity, it is still in use",
          false,
          false,
          null);
    }
    remove(roleName);
  }

  /**
   * As the AWS implementation does: DeleteRolePolicy and DetachRolePolicy per known policy, then
   * DeleteRole; a DeleteConflict falls back to the deletion that reads what holds the role.
   */
  @Override
  public void delete(ActualRole known) {
    var name = known.name();
    for (var arn : new TreeSet<>(known.managedPolicyArns())) {
      if (roles.containsKey(name)) {
        apply(name, new RoleChange.DetachManagedPolicy(arn));
      } else {
        call("DetachRolePolicy");
      }
    }
    for (var policy : new TreeSet<>(known.inlinePolicies().keySet())) {
      if (roles.containsKey(name)) {
        apply(name, new RoleChange.DeleteInlinePolicy(policy));
      } else {
        call("DeleteRolePolicy");
      }
    }
    try {
      deleteRole(name);
    } catch (AwsCallException e) {
      delete(name);
    }
  }

  /** One ListRoles call per page of 1,000 roles, as the AWS implementation pages. */
  @Override
  public List<ListedRole> list(String pathPrefix) {
    var listed = underPath(pathPrefix).stream().map(this::listed).toList();
    pages("ListRoles", listed.size());
    return listed;
  }

  /**
   * ListRoles pages under the path, then GetAccountAuthorizationDetails pages over every role of
   * the account, as the AWS implementation does.
   */
  @Override
  public List<ActualRole> snapshot(String pathPrefix) {
    var under = underPath(pathPrefix);
    pages("ListRoles", under.size());
    pages("GetAccountAuthorizationDetails", roles.size());
    return under;
  }

  private List<ActualRole> underPath(String pathPrefix) {
    return roles.values().stream().filter(role -> role.path().startsWith(pathPrefix)).toList();
  }

  /**
   * The provider's audiences: by default every provider exists with the STS audience. Not in the
   * operation log, which records what is done to roles; fails on request like any operation.
   */
  @Override
  public Optional<List<String>> identityProviderAudiences(String providerArn) {
    accountRead();
    failIfAsked("GetOpenIDConnectProvider");
    if (missingProviders.contains(providerArn)) {
      return Optional.empty();
    }
    return Optional.of(providerAudiences.getOrDefault(providerArn, List.of("sts.amazonaws.com")));
  }

  /** The roles held against a quota of {@link #setRoleQuota} (1,000 by default); not logged. */
  @Override
  public RoleQuota roleQuota() {
    accountRead();
    failIfAsked("GetAccountSummary");
    return new RoleQuota(roles.size(), roleQuota, "GetAccountSummary");
  }

  /** The cluster's provider goes missing from this account (or comes back). */
  public void setProviderMissing(String providerArn, boolean missing) {
    if (missing) {
      missingProviders.add(providerArn);
    } else {
      missingProviders.remove(providerArn);
    }
  }

  public void setProviderAudiences(String providerArn, List<String> audiences) {
    providerAudiences.put(providerArn, List.copyOf(audiences));
  }

  /** How many times the provider or the quota was read. */
  public int accountReads() {
    return accountReads.get();
  }

  /** Each read of the provider or the quota takes this long, as a call over the network does. */
  public void delayAccountReads(java.time.Duration delay) {
    this.accountReadDelay = delay;
  }

  private void accountRead() {
    accountReads.incrementAndGet();
    try {
      Thread.sleep(accountReadDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void setRoleQuota(int quota) {
    this.roleQuota = quota;
  }

  private synchronized void failIfAsked(String operation) {
    var failure = failures.get(operation);
    if (failure != null) {
      throw failure;
    }
  }

  private ListedRole listed(ActualRole role) {
    return new ListedRole(
        role.name(),
        role.arn(),
        role.path(),
        role.roleId(),
        role.description(),
        role.trustPolicy(),
        role.maxSessionDurationSeconds());
  }

  private void pages(String operation, int items) {
    for (int page = 0; page == 0 || page * 1000 < items; page++) {
      call(operation);
    }
  }

  private ActualRole withNewRoleId(ActualRole role) {
    return role.withRoleId(newRoleId());
  }

  private String newRoleId() {
    return "AROAFAKE%012d".formatted(nextRoleId.getAndIncrement());
  }

  private synchronized void call(String operation) {
    operations.add(operation);
    var failure = failures.get(operation);
    if (failure != null) {
      throw failure;
    }
  }
}
