package io.secureworkload.operator.outcome;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.api.SecureWorkload;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
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
    record(client, subject, reason, message, null);
  }

  /**
   * Records the Event under a name derived from {@code occurrence}: reconciliations that race to
   * record the same occurrence (both started from the status before either patched it) make one
   * Event, the second finding the name taken.
   */
  public static void recordOnce(
      KubernetesClient client,
      HasMetadata subject,
      EventReason reason,
      String message,
      String occurrence) {
    record(client, subject, reason, message, occurrence);
  }

  private static void record(
      KubernetesClient client,
      HasMetadata subject,
      EventReason reason,
      String message,
      String occurrence) {
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var text =
        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(occurrence == null ? subject.getMetadata().getName() + "." : null)
            .withName(occurrence == null ? null : onceName(subject, reason, occurrence))
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
      if (occurrence != null && e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return;
      }
      log.warn(
          "Could not record event {} on {}: {}",
          reason,
          subject.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** The subject's name, the reason and a digest of the occurrence: a valid, stable Event name. */
  static String onceName(HasMetadata subject, EventReason reason, String occurrence) {
    var prefix = subject.getMetadata().getName();
    if (prefix.length() > 200) {
      prefix = prefix.substring(0, 200);
    }
    try {
      var digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (subject.getMetadata().getUid() + "/" + reason + "/" + occurrence)
                      .getBytes(StandardCharsets.UTF_8));
      return prefix
          + "."
          + reason.name().toLowerCase(Locale.ROOT)
          + "-"
          + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
