package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.secureworkload.operator.api.SecureWorkload;

/**
 * Reconcile precondition of an optional child: the spec asks for it. When it stops asking, the
 * workflow deletes the child.
 */
public class Requested implements Condition<Object, SecureWorkload> {

  @Override
  public boolean isMet(
      DependentResource<Object, SecureWorkload> dependentResource,
      SecureWorkload workload,
      Context<SecureWorkload> context) {
    return ((EnvelopeDependent) dependentResource).isRequested(workload, context);
  }
}
