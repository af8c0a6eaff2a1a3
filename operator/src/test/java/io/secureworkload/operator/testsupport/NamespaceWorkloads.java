package io.secureworkload.operator.testsupport;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionTimeoutException;

/**
 * SecureWorkloads in one namespace of the shared API server, for tests that run the operator
 * themselves ({@code OperatorAssembly.start}) rather than through JOSDK's JUnit extension. A wait
 * that fails says what a person needs: the workload with its status, and the namespace's events.
 */
public final class NamespaceWorkloads {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String namespace;

  /** Creates the namespace; the client (cluster admin) is the caller's to close. */
  public NamespaceWorkloads(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
  }

  /** The SecureWorkload CRD as the build generates it, and the third-party stand-ins. */
  /**
   * The operator's CRDs, the third-party ones, and the ITs' permissive guardrail policy: what an
   * operator built by a test itself needs on the shared API server.
   */
  public static void installCrds(KubernetesClient admin) {
    OperatorTestEnvironment.prepareCluster(admin);
    ThirdPartyCrds.install(admin);
  }

  public String namespace() {
    return namespace;
  }

  public SecureWorkload create(SecureWorkload workload) {
    return client.resource(workload).inNamespace(namespace).create();
  }

  /** Replaces the workload's spec, whatever the operator wrote meanwhile (a JSON patch). */
  public SecureWorkload replaceSpec(String name, SecureWorkload withSpec) {
    var spec = client.getKubernetesSerialization().asJson(withSpec.getSpec());
    return client
        .resources(SecureWorkload.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"replace\", \"path\": \"/spec\", \"value\": " + spec + "}]");
  }

  public SecureWorkload get(String name) {
    return client.resources(SecureWorkload.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until Ready is True for the workload's current generation. */
  public SecureWorkload awaitReady(String name) {
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> isReady(get(name)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "SecureWorkload " + name + " did not become Ready\n" + describe(name), e);
    }
    return get(name);
  }

  /** Deletes the workload and waits until the operator let it go (its finalizer removed). */
  public void deleteAndAwaitGone(String name) {
    client.resources(SecureWorkload.class).inNamespace(namespace).withName(name).delete();
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> get(name) == null);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("SecureWorkload " + name + " was not deleted\n" + describe(name), e);
    }
  }

  /** The Normal events recorded on the workload, each as "Reason: message". */
  public List<String> normalEvents(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Normal".equals(e.getType()))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  public String describe(String name) {
    var out = new StringBuilder("--- SecureWorkload\n");
    var workload = get(name);
    out.append(workload == null ? "(absent)\n" : Serialization.asYaml(workload));
    out.append("--- Events\n");
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(e -> out.append(e.getReason()).append(": ").append(e.getMessage()).append('\n'));
    return out.toString();
  }

  private static boolean isReady(SecureWorkload workload) {
    if (workload == null
        || workload.getStatus() == null
        || workload.getStatus().getConditions() == null) {
      return false;
    }
    var ready = WorkloadAssertions.condition(workload, "Ready");
    return ready != null
        && Condition.TRUE.equals(ready.getStatus())
        && Objects.equals(
            workload.getStatus().getObservedGeneration(), workload.getMetadata().getGeneration());
  }
}
