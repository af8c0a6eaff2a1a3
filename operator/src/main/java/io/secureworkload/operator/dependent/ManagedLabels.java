package io.secureworkload.operator.dependent;

import io.secureworkload.operator.api.SecureWorkload;
import java.util.Map;

/** Labels on every Kubernetes object the operator writes; its informers select on the first. */
public final class ManagedLabels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String WORKLOAD = "secureworkload.io/name";
  public static final String SELECTOR = MANAGED_BY + "=" + SecureWorkload.MANAGED_BY;

  private ManagedLabels() {}

  public static Map<String, String> of(SecureWorkload workload) {
    return Map.of(
        MANAGED_BY, SecureWorkload.MANAGED_BY, WORKLOAD, workload.getMetadata().getName());
  }
}
