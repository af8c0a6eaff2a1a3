package io.secureworkload.operator.chart;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.HelmChart;
import io.secureworkload.operator.testsupport.ImpersonatedClients;
import io.secureworkload.operator.testsupport.KubeApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicies on the real API server: a tenant with RBAC to edit its
 * namespace still cannot change what the operator manages nor remove its finalizer; the operator,
 * the garbage collector and the namespace controller can. The bindings are limited to this test's
 * namespace, so the other tests sharing the API server are not affected.
 */
class AdmissionPolicyIT {

  private static final String NAMESPACE = "vap-" + Long.toHexString(System.nanoTime());
  private static final String TENANT = "tenant-alice";
  private static final String OPERATOR =
      ImpersonatedClients.serviceAccountUser(HelmChart.NAMESPACE, "sw-secure-workload-operator");
  private static final String GARBAGE_COLLECTOR =
      "system:serviceaccount:kube-system:generic-garbage-collector";
  private static final String NAMESPACE_CONTROLLER =
      "system:serviceaccount:kube-system:namespace-controller";
  private static final String MANAGED = "app.kubernetes.io/managed-by";
  private static final String FINALIZER = "secureworkloads.secureworkload.io/finalizer";

  private static KubernetesClient admin;
  private static final List<HasMetadata> policies = new ArrayList<>();

  @BeforeAll
  static void namespaceObjectsRbacAndPolicies() {
    admin = KubeApiServer.get().newClient();
    Crds.installOperatorCrds(admin);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("vap-test", NAMESPACE)
                .endMetadata()
                .build())
        .create();
    grantEditing(TENANT, OPERATOR, GARBAGE_COLLECTOR, NAMESPACE_CONTROLLER);
    for (var name : List.of("managed-sa", "managed-sa-2", "managed-sa-3")) {
      admin.serviceAccounts().inNamespace(NAMESPACE).resource(managedServiceAccount(name)).create();
    }
    admin.resource(managedPolicy("managed-np")).inNamespace(NAMESPACE).create();
    var guarded = workload("guarded", "selector: {matchLabels: {app: guarded}}");
    guarded.getMetadata().setFinalizers(List.of(FINALIZER));
    admin.resource(guarded).inNamespace(NAMESPACE).create();

    HelmChart.render(
            HelmChart.ciValues("default-values.yaml"),
            Map.of("admissionPolicy.namespaceSelector.matchLabels.vap-test", NAMESPACE))
        .stream()
        .filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .forEach(
            o -> {
              admin.resource(o).serverSideApply();
              policies.add(o);
            });
    assertThat(policies).hasSize(4);
    // The API server applies a new policy after its type check, a moment later.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> refused(() -> annotate(as(TENANT), "managed-sa-3")));
  }

  @AfterAll
  static void removePolicies() {
    if (admin == null) {
      return;
    }
    policies.forEach(p -> admin.resource(p).delete());
    var workload = admin.resources(SecureWorkload.class).inNamespace(NAMESPACE).withName("guarded");
    // The policies go a moment after their deletion: until then, not even an admin may do this.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              workload.edit(
                  w -> {
                    w.getMetadata().setFinalizers(List.of());
                    return w;
                  });
              return true;
            });
    admin.namespaces().withName(NAMESPACE).delete();
    admin.close();
  }

  @Test
  void aTenantCannotEditRelabelOrDeleteWhatTheOperatorManages() {
    var tenant = as(TENANT);

    assertRefused(() -> annotate(tenant, "managed-sa"));
    assertRefused(
        () ->
            tenant
                .serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName("managed-sa")
                .edit(
                    sa -> {
                      sa.getMetadata().getLabels().remove(MANAGED);
                      return sa;
                    }));
    assertRefused(
        () ->
            tenant
                .network()
                .networkPolicies()
                .inNamespace(NAMESPACE)
                .withName("managed-np")
                .delete());
    assertRefused(
        () -> tenant.resource(managedPolicy("fake-managed-np")).inNamespace(NAMESPACE).create());
    assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName("managed-sa").get())
        .satisfies(
            sa -> {
              assertThat(sa.getMetadata().getLabels()).containsKey(MANAGED);
              assertThat(sa.getMetadata().getAnnotations()).doesNotContainKey("tenant");
            });
  }

  @Test
  void aTenantCannotRemoveTheOperatorsFinalizer() {
    assertRefused(
        () ->
            as(TENANT)
                .resources(SecureWorkload.class)
                .inNamespace(NAMESPACE)
                .withName("guarded")
                .edit(
                    w -> {
                      w.getMetadata().setFinalizers(List.of());
                      return w;
                    }));
    assertThat(
            admin
                .resources(SecureWorkload.class)
                .inNamespace(NAMESPACE)
                .withName("guarded")
                .get()
                .getMetadata()
                .getFinalizers())
        .containsExactly(FINALIZER);
  }

  @Test
  void aTenantStillManagesWhatIsNotTheOperators() {
    var tenant = as(TENANT);
    tenant
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("own").endMetadata().build())
        .create();

    tenant.serviceAccounts().inNamespace(NAMESPACE).withName("own").delete();
  }

  @Test
  void theOperatorTheGarbageCollectorAndTheNamespaceControllerAreExempt() {
    annotate(as(OPERATOR, "system:serviceaccounts", "system:authenticated"), "managed-sa");
    as(GARBAGE_COLLECTOR, "system:serviceaccounts", "system:authenticated")
        .network()
        .networkPolicies()
        .inNamespace(NAMESPACE)
        .withName("managed-np")
        .delete();
    as(NAMESPACE_CONTROLLER, "system:serviceaccounts", "system:authenticated")
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .withName("managed-sa-2")
        .delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                        .network()
                        .networkPolicies()
                        .inNamespace(NAMESPACE)
                        .withName("managed-np")
                        .get()
                    == null);
    assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName("managed-sa").get())
        .satisfies(sa -> assertThat(sa.getMetadata().getAnnotations()).containsKey("tenant"));
  }

  private static KubernetesClient as(String user, String... groups) {
    return ImpersonatedClients.as(
        user, groups.length == 0 ? new String[] {"system:authenticated"} : groups);
  }

  private static void annotate(KubernetesClient client, String serviceAccount) {
    client
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .withName(serviceAccount)
        .edit(
            sa -> {
              sa.getMetadata().getAnnotations().put("tenant", "was-here");
              return sa;
            });
  }

  private static void assertRefused(Runnable action) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("Only the secure-workload-operator");
            });
  }

  private static boolean refused(Runnable action) {
    try {
      action.run();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403 && e.getMessage().contains("Only the secure-workload-operator");
    }
  }

  private static ServiceAccount managedServiceAccount(String name) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(MANAGED, SecureWorkload.MANAGED_BY)
        .addToAnnotations("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/x")
        .endMetadata()
        .build();
  }

  private static NetworkPolicy managedPolicy(String name) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(MANAGED, SecureWorkload.MANAGED_BY)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels("app", "x")
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .endSpec()
        .build();
  }

  /** RBAC lets all of them edit the namespace: only the admission policies stand in the way. */
  private static void grantEditing(String... users) {
    var role =
        new RoleBuilder()
            .withNewMetadata()
            .withName("edit-everything-here")
            .endMetadata()
            .withRules(
                new PolicyRuleBuilder()
                    .withApiGroups("", "networking.k8s.io", "secureworkload.io")
                    .withResources("serviceaccounts", "networkpolicies", "secureworkloads")
                    .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                    .build())
            .build();
    admin.rbac().roles().inNamespace(NAMESPACE).resource(role).create();
    var binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("edit-everything-here")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "edit-everything-here")
            .withSubjects(
                java.util.Arrays.stream(users)
                    .map(
                        user ->
                            new SubjectBuilder()
                                .withKind("User")
                                .withApiGroup("rbac.authorization.k8s.io")
                                .withName(user)
                                .build())
                    .toList())
            .build();
    admin.rbac().roleBindings().inNamespace(NAMESPACE).resource(binding).create();
  }
}
