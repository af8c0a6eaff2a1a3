package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.guardrail.PolicySelection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The watches that make a guardrail change take effect at once: a SecureWorkloadPolicy created,
 * deleted, given a new spec or marked as the default (or no longer) reconciles every SecureWorkload
 * again (policies are few and rarely change); a namespace whose labels change reconciles the
 * SecureWorkloads in it.
 */
final class GuardrailWatches {

  private GuardrailWatches() {}

  static InformerEventSource<SecureWorkloadPolicy, SecureWorkload> policies(
      EventSourceContext<SecureWorkload> context) {
    var configuration =
        InformerEventSourceConfiguration.from(SecureWorkloadPolicy.class, SecureWorkload.class)
            .withName("secureworkloadpolicies")
            .withWatchAllNamespaces()
            // Only a new generation or the default mark changes what a policy allows and where.
            // Its status changes with every workload that comes, goes or violates it, and
            // reconciling every workload (each reading its IAM role) on each of those turned bad
            // input into an IAM read storm.
            .withOnUpdateFilter(PolicySelection::governanceChanged)
            .withSecondaryToPrimaryMapper(policy -> all(context))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  static InformerEventSource<Namespace, SecureWorkload> namespaces(
      EventSourceContext<SecureWorkload> context) {
    var configuration =
        InformerEventSourceConfiguration.from(Namespace.class, SecureWorkload.class)
            .withName("namespaces")
            .withWatchAllNamespaces()
            .withPrimaryToSecondaryMapper(
                (SecureWorkload workload) ->
                    Set.of(new ResourceID(workload.getMetadata().getNamespace())))
            .withSecondaryToPrimaryMapper(
                namespace ->
                    context
                        .getPrimaryCache()
                        .list(
                            w ->
                                namespace
                                    .getMetadata()
                                    .getName()
                                    .equals(w.getMetadata().getNamespace()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  private static Set<ResourceID> all(EventSourceContext<SecureWorkload> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
