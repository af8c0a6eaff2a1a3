package io.secureworkload.operator.podidentity;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Pod Identity associations the cluster has, against EKS's per-cluster quota: counted once
 * from a listing (the first association the operator makes, and every sweep), kept up to date by
 * the operator's own creates and deletes in between.
 */
public final class AssociationQuota {

  private final PodIdentityAssociations associations;
  private final int quota;
  private final AtomicInteger count = new AtomicInteger(-1);

  public AssociationQuota(PodIdentityAssociations associations, int quota) {
    this.associations = associations;
    this.quota = quota;
  }

  /** Refuses, before any call to create it, an association that would pass the quota. */
  public void requireRoomForOne() {
    int known = count.get();
    if (known < 0) {
      known = counted(associations.list().size());
    }
    if (known + 1 > quota) {
      throw new AssociationQuotaReachedException(associations.clusterName(), known, quota);
    }
  }

  /** The count a listing of every association found. */
  public int counted(int listed) {
    count.set(listed);
    return listed;
  }

  public void created() {
    count.updateAndGet(n -> n < 0 ? n : n + 1);
  }

  public void deleted() {
    count.updateAndGet(n -> n <= 0 ? n : n - 1);
  }

  public int quota() {
    return quota;
  }
}
