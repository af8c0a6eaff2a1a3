package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RoleQuota;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@link IamRoles} on the AWS SDK. Reads, writes and deletion are one class each; every request
 * they make goes through {@link AwsCalls} (the client is built with it, {@link AwsClients#iam}), so
 * one rate limit shared by every reconciliation, one count and one failure vocabulary cover them.
 */
public final class AwsIamRoles implements IamRoles {

  private final AwsIamRoleReads reads;
  private final AwsIamRoleWrites writes;
  private final AwsIamRoleDeletion deletion;

  public AwsIamRoles(IamClient iam, AwsCalls calls) {
    this.reads = new AwsIamRoleReads(iam, calls);
    this.writes = new AwsIamRoleWrites(iam, calls);
    this.deletion = new AwsIamRoleDeletion(iam, calls, reads);
  }

  @Override
  public Optional<ActualRole> find(String roleName) {
    return reads.find(roleName);
  }

  @Override
  public Optional<Map<String, String>> tags(String roleName) {
    return reads.tags(roleName);
  }

  @Override
  public ActualRole create(DesiredRole desired) {
    return writes.create(desired);
  }

  @Override
  public void apply(String roleName, RoleChange change) {
    writes.apply(roleName, change);
  }

  @Override
  public void delete(String roleName) {
    deletion.delete(roleName);
  }

  @Override
  public void delete(ActualRole known) {
    deletion.delete(known);
  }

  /** One ListRoles call per page of 1,000 roles (IAM's largest page). */
  @Override
  public List<ListedRole> list(String pathPrefix) {
    return reads.list(pathPrefix);
  }

  @Override
  public List<ActualRole> snapshot(String pathPrefix) {
    return reads.snapshot(pathPrefix);
  }

  @Override
  public Optional<List<String>> identityProviderAudiences(String providerArn) {
    return reads.identityProviderAudiences(providerArn);
  }

  @Override
  public RoleQuota roleQuota() {
    return reads.roleQuota();
  }
}
