package io.secureworkload.operator.outcome;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.api.SecureWorkload;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a SecureWorkload; a failure to record never fails a reconcile. */
public final class EventRecorder {

  private static final String COMPONENT = SecureWorkload.MANAGED_BY;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private EventRecorder() {}

  public static void record(
      KubernetesClient client, HasMetadata subject, EventReason reason, String message) {
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(subject.getMetadata().getName() + ".")
            .withNamespace(subject.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(subject.getApiVersion())
            .withKind(subject.getKind())
            .withName(subject.getMetadata().getName())
            .withNamespace(subject.getMetadata().getNamespace())
            .withUid(subject.getMetadata().getUid())
            .withResourceVersion(subject.getMetadata().getResourceVersion())
            .endInvolvedObject()
            .withReason(reason.name())
            .withType(reason.type().name())
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withReportingComponent(COMPONENT)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(subject.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not record event {} on {}: {}",
          reason,
          subject.getMetadata().getName(),
          e.getMessage());
    }
  }
}
