package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The policy status reconciler's cache of SecureWorkloads, which counts them per namespace and
 * reads one condition: it keeps of each only its identity and that condition, not a second copy of
 * the whole workload beside the workload controller's own cache.
 */
final class WorkloadSummaryStore implements ItemStore<SecureWorkload> {

  private final String condition;
  private final Map<String, SecureWorkload> items = new ConcurrentHashMap<>();

  /**
   * @param condition the one status condition kept
   */
  WorkloadSummaryStore(String condition) {
    this.condition = condition;
  }

  @Override
  public String getKey(SecureWorkload workload) {
    return Cache.metaNamespaceKeyFunc(workload);
  }

  @Override
  public SecureWorkload put(String key, SecureWorkload workload) {
    return items.put(key, summary(workload));
  }

  @Override
  public SecureWorkload remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<SecureWorkload> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public SecureWorkload get(String key) {
    return items.get(key);
  }

  private SecureWorkload summary(SecureWorkload workload) {
    var metadata = workload.getMetadata();
    var kept = new ObjectMeta();
    kept.setName(metadata.getName());
    kept.setNamespace(metadata.getNamespace());
    kept.setUid(metadata.getUid());
    kept.setResourceVersion(metadata.getResourceVersion());
    kept.setGeneration(metadata.getGeneration());
    kept.setDeletionTimestamp(metadata.getDeletionTimestamp());
    var summary = new SecureWorkload();
    summary.setMetadata(kept);
    if (workload.getStatus() != null) {
      var status = new SecureWorkloadStatus();
      status.setConditions(
          workload.getStatus().getConditions().stream()
              .filter(c -> condition.equals(c.getType()))
              .toList());
      summary.setStatus(status);
    }
    return summary;
  }
}
