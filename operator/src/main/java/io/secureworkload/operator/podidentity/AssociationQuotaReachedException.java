package io.secureworkload.operator.podidentity;

/** A new association would take the cluster past EKS's associations-per-cluster quota. */
public final class AssociationQuotaReachedException extends RuntimeException {

  public AssociationQuotaReachedException(String clusterName, int count, int quota) {
    super(
        "EKS cluster "
            + clusterName
            + " has "
            + count
            + " Pod Identity associations and its quota is "
            + quota
            + " (SW_POD_IDENTITY_ASSOCIATION_QUOTA): no association is made for this workload."
            + " Ask AWS for a higher quota (and raise the setting), or free associations.");
  }
}
