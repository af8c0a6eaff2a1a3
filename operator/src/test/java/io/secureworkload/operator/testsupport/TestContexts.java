package io.secureworkload.operator.testsupport;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;

/** Mocked reconciliation contexts for unit tests of dependents and of the status. */
public final class TestContexts {

  private TestContexts() {}

  /** A context that answers nothing, enough for a {@code desired()} that reads only the spec. */
  @SuppressWarnings("unchecked")
  public static Context<SecureWorkload> context() {
    return mock(Context.class);
  }

  /** A context handing out this workflow context, which the test stubs as it needs. */
  public static Context<SecureWorkload> withWorkflow(
      ManagedWorkflowAndDependentResourceContext workflowContext) {
    var context = context();
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflowContext);
    return context;
  }
}
