package io.secureworkload.operator.podidentity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

  /** The cluster's associations as last counted; -1 until a listing counted them. */
  public int count() {
    return count.get();
  }

  /**
   * {@code secureworkload_pod_identity_associations} and {@code ..._quota}, labelled with the
   * cluster, beside the IAM role gauges.
   */
  public void registerGauges(MeterRegistry registry) {
    Gauge.builder("secureworkload.pod.identity.associations", this, AssociationQuota::count)
        .description("Pod Identity associations in the EKS cluster, everyone's (-1 until listed)")
        .tag("cluster", associations.clusterName())
        .register(registry);
    Gauge.builder("secureworkload.pod.identity.associations.quota", this, AssociationQuota::quota)
        .description("The cluster's Pod Identity association quota the operator counts against")
        .tag("cluster", associations.clusterName())
        .register(registry);
  }
}
