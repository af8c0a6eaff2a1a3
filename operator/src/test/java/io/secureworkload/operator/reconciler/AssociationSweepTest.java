package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.IdentityStatus;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.podidentity.PodIdentity;
import io.secureworkload.operator.podidentity.PodIdentityAssociations;
import io.secureworkload.operator.podidentity.PodIdentityAssociations.Association;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sweep that watches EKS: exactly the Pod Identity workloads whose association is gone or
 * changed are reconciled, and a cluster without Pod Identity workloads costs no call.
 */
class AssociationSweepTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/secureworkload/api";

  private final InMemoryAssociations eks = new InMemoryAssociations();
  private final List<SecureWorkload> workloads = new ArrayList<>();
  private final List<ResourceID> requeued = new ArrayList<>();
  private final AssociationSweep sweep =
      new AssociationSweep(PodIdentity.of(eks, 5000), workloads::stream, requeued::add);

  @Test
  void irsaWorkloadsCostNoCall() {
    workloads.add(workload("api", IdentityMode.IRSA, null));

    assertThat(sweep.sweep()).isEmpty();
    assertThat(eks.calls).hasValue(0);
  }

  @Test
  void onlyTheWorkloadsWhoseAssociationIsGoneOrChangedAreReconciled() {
    eks.put(new Association("a-same", "arn", "payments", "same", ROLE, null, false, Map.of()));
    eks.put(
        new Association("a-repointed", "arn", "payments", "rp", "arn:x", null, false, Map.of()));
    eks.put(new Association("a-chained", "arn", "payments", "ch", ROLE, "arn:t", false, Map.of()));
    eks.put(new Association("a-untagged", "arn", "payments", "ut", ROLE, null, true, Map.of()));
    workloads.add(workload("same", IdentityMode.PodIdentity, "a-same"));
    workloads.add(workload("repointed", IdentityMode.PodIdentity, "a-repointed"));
    workloads.add(workload("chained", IdentityMode.PodIdentity, "a-chained"));
    workloads.add(workload("untagged", IdentityMode.PodIdentity, "a-untagged"));
    workloads.add(workload("gone", IdentityMode.PodIdentity, "a-gone"));
    workloads.add(workload("never-made", IdentityMode.PodIdentity, null));
    workloads.add(workload("irsa", IdentityMode.IRSA, null));

    assertThat(sweep.sweep())
        .extracting(ResourceID::getName)
        .containsExactlyInAnyOrder("repointed", "chained", "untagged", "gone", "never-made");
    assertThat(requeued).hasSize(5);
  }

  @Test
  void anAssociationStillHeldForOlderPodsAfterASwitchToIrsaIsWatchedToo() {
    var switching = workload("api", IdentityMode.IRSA, "a-1");
    switching.getStatus().getIdentity().setPreviousMode(IdentityMode.PodIdentity);
    workloads.add(switching);

    assertThat(sweep.sweep()).extracting(ResourceID::getName).containsExactly("api");
  }

  private static SecureWorkload workload(String name, IdentityMode mode, String associationId) {
    var workload = TestWorkloads.workload(name, "selector: {matchLabels: {app: api}}\n");
    workload.getMetadata().setNamespace("payments");
    var status = new SecureWorkloadStatus();
    status.setRoleArn(ROLE);
    status.setIdentity(IdentityStatus.builder().mode(mode).associationId(associationId).build());
    workload.setStatus(status);
    return workload;
  }

  /** EKS's associations as a map, every call counted. */
  private static final class InMemoryAssociations implements PodIdentityAssociations {

    final Map<String, Association> byId = new LinkedHashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    void put(Association association) {
      byId.put(association.id(), association);
    }

    @Override
    public String clusterName() {
      return "test";
    }

    @Override
    public List<Listed> list() {
      calls.incrementAndGet();
      return byId.values().stream()
          .map(a -> new Listed(a.id(), a.namespace(), a.serviceAccount()))
          .toList();
    }

    @Override
    public List<Listed> list(String namespace, String serviceAccount) {
      calls.incrementAndGet();
      return list().stream()
          .filter(l -> l.namespace().equals(namespace) && l.serviceAccount().equals(serviceAccount))
          .toList();
    }

    @Override
    public Optional<Association> describe(String associationId) {
      calls.incrementAndGet();
      return Optional.ofNullable(byId.get(associationId));
    }

    @Override
    public Association create(
        String namespace, String serviceAccount, String roleArn, Map<String, String> tags) {
      throw new UnsupportedOperationException("the sweep only reads");
    }

    @Override
    public Association update(String associationId, String roleArn) {
      throw new UnsupportedOperationException("the sweep only reads");
    }

    @Override
    public void delete(String associationId) {
      throw new UnsupportedOperationException("the sweep only reads");
    }
  }
}
