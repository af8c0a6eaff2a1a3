package io.secureworkload.operator.testsupport;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.dependent.IdentitySwitch;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Mocked reconciliation contexts for unit tests of dependents and of the status. */
public final class TestContexts {

  private TestContexts() {}

  /** A context that answers nothing, enough for a {@code desired()} that reads only the spec. */
  @SuppressWarnings("unchecked")
  public static Context<SecureWorkload> context() {
    return mock(Context.class);
  }

  /**
   * A context in which the guardrails can be decided: namespace payments (uid {@link
   * TestServices#NAMESPACE_UID}), these policies, no other SecureWorkload.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Context<SecureWorkload> admitting(
      ManagedWorkflowAndDependentResourceContext workflowContext,
      SecureWorkloadPolicy... policies) {
    var context = withWorkflow(workflowContext);
    var namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("payments")
            .withUid(TestServices.NAMESPACE_UID)
            .endMetadata()
            .build();
    when(context.getSecondaryResource(Namespace.class)).thenReturn(Optional.of(namespace));
    var retriever = mock(EventSourceRetriever.class);
    var policySource = mock(InformerEventSource.class);
    when(policySource.list()).thenAnswer(call -> Stream.of(policies));
    when(retriever.getEventSourceFor(SecureWorkloadPolicy.class)).thenReturn(policySource);
    when(context.eventSourceRetriever()).thenReturn(retriever);
    var primaries = mock(IndexedResourceCache.class);
    when(primaries.list(any(Predicate.class))).thenAnswer(call -> Stream.empty());
    when(context.getPrimaryCache()).thenReturn(primaries);
    return context;
  }

  /** A context handing out this workflow context, which the test stubs as it needs. */
  public static Context<SecureWorkload> withWorkflow(
      ManagedWorkflowAndDependentResourceContext workflowContext) {
    var context = context();
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflowContext);
    return context;
  }

  /** A context in which the identity plan of the reconciliation was made already: this mode. */
  public static Context<SecureWorkload> planned(IdentityMode mode) {
    var workflow = mock(ManagedWorkflowAndDependentResourceContext.class);
    var plan =
        new IdentitySwitch.Plan(
            mode,
            mode,
            Set.of(mode),
            mode == IdentityMode.IRSA,
            mode == IdentityMode.PodIdentity,
            null,
            null,
            null);
    when(workflow.get(any(), eq(IdentitySwitch.Plan.class))).thenReturn(Optional.of(plan));
    return withWorkflow(workflow);
  }
}
