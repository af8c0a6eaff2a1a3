package io.secureworkload.operator.testsupport;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.api.SecureWorkload;
import java.time.Duration;
import java.util.List;

/** Namespaces as their owners handle them, on an API server that runs no controllers. */
public final class Namespaces {

  private Namespaces() {}

  /**
   * Deletes the namespace and makes one of the same name, with the same labels, as whoever owns the
   * name next would: it gets a new uid. A bare API server has no namespace controller, so this does
   * its work: it deletes what the namespace still holds (the objects would otherwise come back in
   * the new namespace from etcd) and finalizes the namespace. The namespace must hold no
   * SecureWorkload any more: only the operator removes their finalizer.
   *
   * @return the new namespace's uid
   */
  public static String recreate(KubernetesClient admin, String name) {
    var old = admin.namespaces().withName(name).get();
    if (!admin.resources(SecureWorkload.class).inNamespace(name).list().getItems().isEmpty()) {
      throw new IllegalStateException("Namespace " + name + " still holds SecureWorkloads");
    }
    admin.serviceAccounts().inNamespace(name).delete();
    admin.network().v1().networkPolicies().inNamespace(name).delete();
    admin.v1().events().inNamespace(name).delete();
    admin.namespaces().withName(name).delete();
    var terminating = admin.namespaces().withName(name).get();
    terminating.getSpec().setFinalizers(List.of());
    admin.raw(
        admin.getMasterUrl().toString().replaceFirst("/$", "")
            + "/api/v1/namespaces/"
            + name
            + "/finalize",
        "PUT",
        terminating);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.namespaces().withName(name).get() == null);
    return admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(old.getMetadata().getLabels())
                .endMetadata()
                .build())
        .create()
        .getMetadata()
        .getUid();
  }
}
