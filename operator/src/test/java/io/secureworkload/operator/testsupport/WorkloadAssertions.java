package io.secureworkload.operator.testsupport;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a SecureWorkload to reach a state; when it does not, fails with what a person needs to
 * see: the workload with its status, its children and its events.
 */
public final class WorkloadAssertions {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final LocallyRunOperatorExtension operator;

  public WorkloadAssertions(LocallyRunOperatorExtension operator) {
    this.operator = operator;
  }

  public SecureWorkload awaitReady(String name) {
    return awaitCondition(name, "Ready", Condition.TRUE, null);
  }

  /**
   * Waits until the condition has this status (and reason, when not null) for the current
   * generation.
   */
  public SecureWorkload awaitCondition(String name, String type, String status, String reason) {
    try {
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var workload = operator.get(SecureWorkload.class, name);
                if (workload == null || workload.getStatus() == null) {
                  return false;
                }
                var condition = condition(workload, type);
                return condition != null
                    && status.equals(condition.getStatus())
                    && (reason == null || reason.equals(condition.getReason()))
                    && Objects.equals(
                        workload.getStatus().getObservedGeneration(),
                        workload.getMetadata().getGeneration());
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "SecureWorkload "
              + name
              + " did not reach "
              + type
              + "="
              + status
              + (reason == null ? "" : " (" + reason + ")")
              + "\n"
              + describe(name),
          e);
    }
    return operator.get(SecureWorkload.class, name);
  }

  /** Whether the workload exists and says Ready=True (of whichever generation). */
  public static boolean isReady(SecureWorkload workload) {
    return workload != null
        && workload.getStatus() != null
        && workload.getStatus().getConditions() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && Condition.TRUE.equals(c.getStatus()));
  }

  public static Condition condition(SecureWorkload workload, String type) {
    return workload.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** Reasons of the events recorded on the workload. */
  public List<String> events(String name) {
    return eventsOn(name).stream().map(Event::getReason).toList();
  }

  /** The Normal events recorded on the workload, each as "Reason: message". */
  public List<String> normalEvents(String name) {
    return eventsOn(name).stream()
        .filter(e -> "Normal".equals(e.getType()))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  private List<Event> eventsOn(String name) {
    return namespaceEvents().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public String describe(String name) {
    var out = new StringBuilder();
    var workload = operator.get(SecureWorkload.class, name);
    out.append("--- SecureWorkload\n")
        .append(workload == null ? "(absent)\n" : Serialization.asYaml(workload));
    out.append("--- ServiceAccounts\n");
    operator
        .getKubernetesClient()
        .serviceAccounts()
        .inNamespace(operator.getNamespace())
        .list()
        .getItems()
        .stream()
        .map(ServiceAccount::getMetadata)
        .forEach(m -> out.append(m.getName()).append(' ').append(m.getAnnotations()).append('\n'));
    out.append("--- Events\n");
    namespaceEvents()
        .forEach(e -> out.append(e.getReason()).append(": ").append(e.getMessage()).append('\n'));
    return out.toString();
  }

  private List<Event> namespaceEvents() {
    return operator
        .getKubernetesClient()
        .v1()
        .events()
        .inNamespace(operator.getNamespace())
        .list()
        .getItems();
  }
}
