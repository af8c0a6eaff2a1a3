package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches one third-party CRD by name. Its appearance reconciles every SecureWorkload again, so a
 * CRD installed after the operator started is picked up at once and without a restart (JOSDK's own
 * CRD check gives up after ten tries).
 */
public final class CrdWatch {

  private CrdWatch() {}

  /** The event source, named after the CRD; one informer on that single object. */
  public static InformerEventSource<CustomResourceDefinition, SecureWorkload> eventSource(
      String crdName, EventSourceContext<SecureWorkload> context) {
    var configuration =
        InformerEventSourceConfiguration.from(CustomResourceDefinition.class, SecureWorkload.class)
            .withName(crdName)
            .withWatchAllNamespaces()
            .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", crdName)))
            .withPrimaryToSecondaryMapper(
                (SecureWorkload workload) -> Set.of(new ResourceID(crdName)))
            .withSecondaryToPrimaryMapper(
                crd ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** True when the CRD exists and the API server serves it. */
  public static boolean isInstalled(String crdName, Context<SecureWorkload> context) {
    return context
        .getSecondaryResource(CustomResourceDefinition.class, crdName)
        .filter(CrdWatch::isEstablished)
        .isPresent();
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    return crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
