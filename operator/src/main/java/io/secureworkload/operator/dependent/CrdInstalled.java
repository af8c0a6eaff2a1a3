package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.secureworkload.operator.api.SecureWorkload;

/** Activation condition of a {@link CrdBacked} child: its CRD is installed. */
public class CrdInstalled implements Condition<Object, SecureWorkload> {

  @Override
  public boolean isMet(
      DependentResource<Object, SecureWorkload> dependentResource,
      SecureWorkload workload,
      Context<SecureWorkload> context) {
    return CrdWatch.isInstalled(((CrdBacked) dependentResource).crdName(), context);
  }
}
