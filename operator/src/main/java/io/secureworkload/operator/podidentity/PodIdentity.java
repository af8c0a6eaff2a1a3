package io.secureworkload.operator.podidentity;

import io.secureworkload.operator.awscall.AwsCallException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's EKS Pod Identity associations and their quota, shared by the association dependent
 * and the sweep that finds associations changed outside the operator.
 */
public record PodIdentity(PodIdentityAssociations associations, AssociationQuota quota) {

  public static PodIdentity of(PodIdentityAssociations associations, int quota) {
    return new PodIdentity(associations, new AssociationQuota(associations, quota));
  }

  /**
   * For an operator built without an EKS client (unit tests of other parts): every call fails with
   * a message that says so.
   */
  public static PodIdentity none() {
    return NONE;
  }

  private static final PodIdentity NONE = of(new NotConfigured(), 0);

  /** Whether the operator has an EKS client. */
  public boolean configured() {
    return !(associations instanceof NotConfigured);
  }

  private static final class NotConfigured implements PodIdentityAssociations {

    private static RuntimeException notConfigured() {
      return AwsCallException.of(
          "PodIdentityAssociation",
          "NotConfigured",
          "this operator was built without an EKS client",
          false,
          false,
          null);
    }

    @Override
    public String clusterName() {
      return "none";
    }

    @Override
    public List<Listed> list() {
      throw notConfigured();
    }

    @Override
    public List<Listed> list(String namespace, String serviceAccount) {
      throw notConfigured();
    }

    @Override
    public Optional<Association> describe(String associationId) {
      throw notConfigured();
    }

    @Override
    public Association create(
        String namespace, String serviceAccount, String roleArn, Map<String, String> tags) {
      throw notConfigured();
    }

    @Override
    public Association update(String associationId, String roleArn) {
      throw notConfigured();
    }

    @Override
    public void delete(String associationId) {
      throw notConfigured();
    }
  }
}
