package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.AwsCallException;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.RoleChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IAM in memory, for unit tests of what uses {@link IamRoles}: keeps roles as IAM would, records
 * every operation in order, and fails an operation on request.
 */
public final class FakeIamRoles implements IamRoles {

  public static final String ACCOUNT = "123456789012";

  private final Map<String, ActualRole> roles = new ConcurrentHashMap<>();
  private final List<String> operations = new ArrayList<>();
  private final Map<String, AwsCallException> failures = new HashMap<>();

  /** Puts a role in place as if someone had made it, bypassing the operation log. */
  public void put(ActualRole role) {
    roles.put(role.name(), role);
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
        operation, new AwsCallException(operation, errorCode, "injected", retryable, null));
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
    var inline = new HashMap<String, String>();
    var role =
        new ActualRole(
            desired.name(),
            "arn:aws:iam::" + ACCOUNT + ":role" + desired.path() + desired.name(),
            desired.path(),
            desired.description(),
            desired.trustPolicy(),
            inline,
            desired.managedPolicyArns(),
            desired.maxSessionDurationSeconds(),
            desired.permissionsBoundaryArn(),
            desired.tags());
    roles.put(role.name(), role);
    if (desired.inlinePolicy() != null) {
      apply(
          desired.name(),
          new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy()));
    }
    return roles.get(role.name());
  }

  @Override
  public void apply(String roleName, RoleChange change) {
    call(change.operation());
    var role = roles.get(roleName);
    if (role == null) {
      throw new AwsCallException(change.operation(), "NoSuchEntity", roleName, false, null);
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
    }
    roles.put(
        roleName,
        new ActualRole(
            role.name(),
            role.arn(),
            role.path(),
            description,
            trust,
            inline,
            managed,
            session,
            boundary,
            tags));
  }

  @Override
  public void delete(ActualRole role) {
    role.managedPolicyArns().forEach(arn -> call("DetachRolePolicy"));
    role.inlinePolicies().keySet().forEach(name -> call("DeleteRolePolicy"));
    call("DeleteRole");
    roles.remove(role.name());
  }

  private synchronized void call(String operation) {
    operations.add(operation);
    var failure = failures.get(operation);
    if (failure != null) {
      throw failure;
    }
  }
}
