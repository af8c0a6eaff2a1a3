package io.secureworkload.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * When each SecureWorkload first read Ready, seen through a watch rather than by listing them all
 * every few hundred milliseconds, which at thousands of workloads would load the API server (and
 * the 2 cores the operator is measured on) more than the operator does.
 */
final class ReadyTracker implements AutoCloseable {

  private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  private final Map<String, String> namespaceOf = new ConcurrentHashMap<>();
  private final SharedIndexInformer<SecureWorkload> informer;
  private volatile long since = System.nanoTime();

  ReadyTracker(KubernetesClient client) {
    informer =
        client
            .resources(SecureWorkload.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(SecureWorkload workload) {
                    seen(workload);
                  }

                  @Override
                  public void onUpdate(SecureWorkload before, SecureWorkload after) {
                    seen(after);
                  }

                  @Override
                  public void onDelete(SecureWorkload workload, boolean unknownFinalState) {
                    readyAt.remove(workload.getMetadata().getUid());
                    namespaceOf.remove(workload.getMetadata().getUid());
                  }
                });
  }

  /** Forgets every Ready seen so far; times are counted from now. */
  void reset() {
    readyAt.clear();
    since = System.nanoTime();
  }

  /** SecureWorkloads Ready since the reset. */
  int ready() {
    return readyAt.size();
  }

  /** Seconds from the reset until each workload first read Ready, in order. */
  List<Double> secondsToReady() {
    return secondsToReady(namespace -> true);
  }

  /** The same, for the workloads of the namespaces that pass {@code namespaces} only. */
  List<Double> secondsToReady(Predicate<String> namespaces) {
    var seconds = new ArrayList<Double>();
    readyAt.forEach(
        (uid, at) -> {
          if (namespaces.test(namespaceOf.getOrDefault(uid, ""))) {
            seconds.add((at - since) / 1e9);
          }
        });
    Collections.sort(seconds);
    return seconds;
  }

  private void seen(SecureWorkload workload) {
    if (WorkloadAssertions.isReady(workload) && !workload.isMarkedForDeletion()) {
      namespaceOf.put(workload.getMetadata().getUid(), workload.getMetadata().getNamespace());
      readyAt.putIfAbsent(workload.getMetadata().getUid(), System.nanoTime());
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
