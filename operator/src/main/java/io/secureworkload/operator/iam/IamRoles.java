package io.secureworkload.operator.iam;

import java.util.Optional;

/**
 * The IAM operations the operator needs, and no more. Its AWS implementation is the only class that
 * talks to the IAM SDK; failures come out as {@link AwsCallException}.
 */
public interface IamRoles {

  /** The role with its trust policy, inline and managed policies and tags, if it exists. */
  Optional<ActualRole> find(String roleName);

  /** Creates the role with its tags, then adds its policies and boundary. */
  ActualRole create(DesiredRole role);

  void apply(String roleName, RoleChange change);

  /** Detaches every managed policy, deletes every inline policy, then deletes the role. */
  void delete(ActualRole role);
}
