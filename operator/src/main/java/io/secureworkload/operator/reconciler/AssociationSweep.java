package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.podidentity.PodIdentity;
import io.secureworkload.operator.podidentity.PodIdentityAssociations;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the Pod Identity associations changed outside the operator, once per drift period: one
 * listing of the cluster's associations (a call per 100; it also recounts the quota), made only
 * while some workload uses Pod Identity, then one describe per association of a workload in Pod
 * Identity mode, since only a describe tells an association's role. A workload whose association is
 * gone, points at another role, chains to a target role or lost its session tags is reconciled,
 * which repairs it; nothing else is. IRSA workloads cost nothing here.
 */
final class AssociationSweep {

  private final PodIdentity podIdentity;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private final Consumer<ResourceID> requeue;

  AssociationSweep(
      PodIdentity podIdentity,
      Supplier<Stream<SecureWorkload>> workloads,
      Consumer<ResourceID> requeue) {
    this.podIdentity = podIdentity;
    this.workloads = workloads;
    this.requeue = requeue;
  }

  /** Says which workloads were reconciled. */
  Set<ResourceID> sweep() {
    var associating = workloads.get().filter(AssociationSweep::inPodIdentityMode).toList();
    if (associating.isEmpty()) {
      return Set.of();
    }
    var associations = podIdentity.associations();
    var listed = associations.list();
    podIdentity.quota().counted(listed.size());
    var ids = listed.stream().map(PodIdentityAssociations.Listed::id).collect(Collectors.toSet());
    var requeued = new HashSet<ResourceID>();
    for (var workload : associating) {
      var id = workload.getStatus().getIdentity().getAssociationId();
      if (id == null || !ids.contains(id) || changed(associations, id, workload)) {
        var resource = ResourceID.fromResource(workload);
        requeued.add(resource);
        requeue.accept(resource);
      }
    }
    return requeued;
  }

  private static boolean changed(
      PodIdentityAssociations associations, String id, SecureWorkload workload) {
    return associations
        .describe(id)
        .map(a -> !a.bindsExactly(workload.getStatus().getRoleArn()))
        .orElse(true);
  }

  /** An association is held: the mode in effect, or one still held for older pods. */
  private static boolean inPodIdentityMode(SecureWorkload workload) {
    var status = workload.getStatus();
    if (status == null || status.getIdentity() == null) {
      return false;
    }
    var identity = status.getIdentity();
    return identity.getMode() == IdentityMode.PodIdentity
        || identity.getPreviousMode() == IdentityMode.PodIdentity;
  }
}
