package io.secureworkload.operator.iam;

import io.secureworkload.operator.awscall.AwsCallException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM operations the operator needs, and no more. Its AWS implementation is the only class that
 * talks to the IAM SDK; failures come out as {@link AwsCallException}.
 */
public interface IamRoles {

  /** The role with its trust policy, inline and managed policies and tags, if it exists. */
  Optional<ActualRole> find(String roleName);

  /** The role's tags, if it exists: all a deletion needs to prove ownership (one read). */
  Optional<Map<String, String>> tags(String roleName);

  /** Creates the role with its tags, then adds its policies and boundary. */
  ActualRole create(DesiredRole role);

  void apply(String roleName, RoleChange change);

  /**
   * Deletes the role and whatever IAM refuses to delete it with, as IAM reports them now: removes
   * it from every instance profile (the profiles stay), detaches every managed policy, deletes
   * every inline policy (the operator's and those added by hand), then deletes the role. Every step
   * is idempotent: what is already gone counts as done, and a role already gone is a deletion done.
   */
  void delete(String roleName);

  /**
   * Deletes a role whose policies are known (read or written recently): deletes its inline
   * policies, detaches its managed policies, then deletes the role, without reading it first. When
   * IAM refuses the deletion because something was added since ({@code DeleteConflict}: a policy or
   * an instance profile added by hand), it falls back to {@link #delete(String)}.
   */
  void delete(ActualRole known);

  /**
   * Every role whose path starts with this prefix, as listed by IAM in pages: the cheap view of
   * many roles that the drift sweep compares with the workloads.
   */
  List<ListedRole> list(String pathPrefix);

  /**
   * Every role whose path starts with this prefix, with everything the operator manages on it
   * (trust, inline and managed policies, tags, boundary, session duration, description), read in
   * batches: {@code ListRoles} under the path and {@code GetAccountAuthorizationDetails} filtered
   * to roles, each one call per 1,000 roles. A role made or deleted between the two listings is
   * left out.
   */
  List<ActualRole> snapshot(String pathPrefix);

  /**
   * The client ids (audiences) of the OpenID Connect provider of this ARN, or empty when the
   * account has no such provider.
   */
  Optional<List<String>> identityProviderAudiences(String providerArn);

  /** How many roles the account holds and its quota for them ({@code GetAccountSummary}). */
  RoleQuota roleQuota();
}
