package io.secureworkload.operator.podidentity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The EKS Pod Identity associations of the operator's cluster: the only place that knows the EKS
 * API. Every call goes through the operator's AWS call path (rate limit, metrics, failure kinds): a
 * failure is an {@link io.secureworkload.operator.awscall.AwsCallException}.
 */
public interface PodIdentityAssociations {

  /**
   * One association as EKS describes it.
   *
   * @param targetRoleArn the role in another account the association chains to; null for none
   * @param sessionTagsDisabled whether EKS omits the session tags the role's trust is bound by
   */
  record Association(
      String id,
      String arn,
      String namespace,
      String serviceAccount,
      String roleArn,
      String targetRoleArn,
      boolean sessionTagsDisabled,
      Map<String, String> tags) {

    public Association {
      tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * Whether it hands out exactly this role, as the operator makes it: no chained target role, and
     * the session tags the role's trust is bound by.
     */
    public boolean bindsExactly(String role) {
      return Objects.equals(roleArn, role) && targetRoleArn == null && !sessionTagsDisabled;
    }
  }

  /** An association as EKS lists it: without its role, which only a describe tells. */
  record Listed(String id, String namespace, String serviceAccount) {}

  /** The cluster the associations belong to. */
  String clusterName();

  /** Every association of the cluster, every page read. */
  List<Listed> list();

  /** The associations of one ServiceAccount (EKS allows at most one). */
  List<Listed> list(String namespace, String serviceAccount);

  /** The association, or empty when EKS no longer knows it. */
  Optional<Association> describe(String associationId);

  /** A new association, always with session tags enabled and no target role. */
  Association create(
      String namespace, String serviceAccount, String roleArn, Map<String, String> tags);

  /** Points the association at this role again, session tags enabled, no target role. */
  Association update(String associationId, String roleArn);

  /** Deletes the association; one already gone is done. */
  void delete(String associationId);
}
