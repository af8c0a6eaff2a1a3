package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 * The chart's RBAC on an API server that authorizes with RBAC: applied as rendered, then exercised
 * by a client impersonating the chart's ServiceAccount. Everything the operator does is allowed;
 * Secrets, pods beyond listing them, wildcards and other namespaces' Leases are not.
 */
class ChartRbacIT {

  private static final String SUFFIX = String.valueOf(System.nanoTime());
  private static final String RELEASE_NS = "rbac-release-" + SUFFIX;
  private static final String TENANT_NS = "rbac-tenant-" + SUFFIX;
  private static final String WATCHED_NS = "rbac-watched-" + SUFFIX;
  private static final String UNWATCHED_NS = "rbac-unwatched-" + SUFFIX;

  /** What the operator needs in each namespace it reconciles: group, resource, verbs. */
  private static final List<Access> NAMESPACED =
      List.of(
          new Access("secureworkload.io", "secureworkloads", "get", "list", "watch", "patch"),
          new Access("secureworkload.io", "secureworkloads/status", "patch"),
          new Access("secureworkload.io", "secureworkloads/finalizers", "update"),
          new Access("", "serviceaccounts", "get", "list", "watch", "create", "patch", "delete"),
          new Access(
              "networking.k8s.io",
              "networkpolicies",
              "get",
              "list",
              "watch",
              "create",
              "patch",
              "delete"),
          new Access(
              "secrets-store.csi.x-k8s.io",
              "secretproviderclasses",
              "get",
              "list",
              "watch",
              "create",
              "patch",
              "delete"),
          new Access(
              "vpcresources.k8s.aws",
              "securitygrouppolicies",
              "get",
              "list",
              "watch",
              "create",
              "patch",
              "delete"),
          new Access("", "pods", "list"),
          new Access("", "events", "create", "patch"));

  /** What the operator needs cluster-wide. */
  private static final List<Access> CLUSTER_SCOPED =
      List.of(
          new Access("apiextensions.k8s.io", "customresourcedefinitions", "list", "watch"),
          new Access("", "namespaces", "get", "list", "watch"),
          new Access("secureworkload.io", "secureworkloadpolicies", "get", "list", "watch"),
          new Access("secureworkload.io", "secureworkloadpolicies/status", "patch"));

  private static final Access LEASES =
      new Access("coordination.k8s.io", "leases", "get", "create", "update", "patch");

  /** What the operator must never be able to do. */
  private static final List<Access> FORBIDDEN =
      List.of(
          new Access("", "secrets", "get", "list", "watch", "create", "update", "patch", "delete"),
          new Access("", "pods", "get", "watch", "create", "update", "patch", "delete"),
          new Access("*", "*", "*"),
          new Access("", "*", "get", "list"),
          new Access("secureworkload.io", "secureworkloads", "create", "update", "delete"),
          new Access(
              "secureworkload.io", "secureworkloadpolicies", "create", "update", "patch", "delete"),
          new Access("", "serviceaccounts/token", "create"),
          new Access("", "configmaps", "get", "list"),
          new Access("rbac.authorization.k8s.io", "clusterroles", "create", "escalate", "bind"),
          new Access("", "serviceaccounts", "impersonate"));

  private static KubernetesClient admin;
  private static final List<HasMetadata> applied = new ArrayList<>();

  @BeforeAll
  static void namespaces() {
    admin = KubeApiServer.get().newClient();
    for (String ns : List.of(RELEASE_NS, TENANT_NS, WATCHED_NS, UNWATCHED_NS)) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterAll
  static void cleanUp() {
    // Cluster-scoped objects outlive the namespaces the bare API server never finishes deleting.
    applied.stream()
        .filter(o -> o.getMetadata().getNamespace() == null)
        .forEach(o -> admin.resource(o).delete());
    admin.close();
  }

  @Test
  void clusterWideInstallAllowsEverythingTheOperatorDoesAndNothingMore() {
    String sa = install("rbac-all-" + SUFFIX, Map.of());

    try (var operator = ImpersonatedClients.asServiceAccount(RELEASE_NS, sa)) {
      awaitAllowed(operator, CLUSTER_SCOPED.get(0), null);
      CLUSTER_SCOPED.forEach(access -> assertAllowed(operator, access, null));
      NAMESPACED.forEach(access -> assertAllowed(operator, access, TENANT_NS));
      assertAllowed(operator, LEASES, RELEASE_NS);
      FORBIDDEN.forEach(access -> assertDenied(operator, access, TENANT_NS));
      FORBIDDEN.forEach(access -> assertDenied(operator, access, null));
      assertDenied(operator, LEASES, TENANT_NS);

      // Real calls, as the operator makes them.
      var child =
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName("workload")
              .withNamespace(TENANT_NS)
              .endMetadata()
              .build();
      ServiceAccount created =
          operator.resource(child).fieldManager("rbac-it").forceConflicts().serverSideApply();
      assertThat(created.getMetadata().getUid()).isNotBlank();
      assertThat(operator.serviceAccounts().inNamespace(TENANT_NS).list().getItems()).isNotEmpty();
      operator.resource(created).delete();
      operator
          .v1()
          .events()
          .inNamespace(TENANT_NS)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("rbac-it." + SUFFIX)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("ServiceAccount")
                  .withName("workload")
                  .withNamespace(TENANT_NS)
                  .endInvolvedObject()
                  .withReason("Ready")
                  .withMessage("rbac check")
                  .withType("Normal")
                  .build())
          .create();
      var lease =
          operator
              .leases()
              .inNamespace(RELEASE_NS)
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName("secure-workload-operator-" + SUFFIX)
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity("a")
                      .endSpec()
                      .build())
              .create();
      lease.getSpec().setHolderIdentity("b");
      operator.resource(lease).update();
      assertThat(operator.apiextensions().v1().customResourceDefinitions().list().getItems())
          .isNotNull();
      assertThat(operator.namespaces().list().getItems()).isNotEmpty();

      assertForbidden(() -> operator.secrets().inNamespace(TENANT_NS).list());
      assertForbidden(() -> operator.secrets().inNamespace(RELEASE_NS).list());
      assertThat(operator.pods().inNamespace(TENANT_NS).list().getItems()).isEmpty();
      assertForbidden(() -> operator.pods().inNamespace(TENANT_NS).withName("any").get());
      assertForbidden(() -> operator.leases().inNamespace(TENANT_NS).list());
    }
  }

  @Test
  void watchedNamespacesInstallGrantsTheNamespacedKindsOnlyThere() {
    String sa = install("rbac-watch-" + SUFFIX, Map.of("watchNamespaces[0]", WATCHED_NS));

    try (var operator = ImpersonatedClients.asServiceAccount(RELEASE_NS, sa)) {
      awaitAllowed(operator, NAMESPACED.get(0), WATCHED_NS);
      CLUSTER_SCOPED.forEach(access -> assertAllowed(operator, access, null));
      NAMESPACED.forEach(access -> assertAllowed(operator, access, WATCHED_NS));
      NAMESPACED.forEach(access -> assertDenied(operator, access, UNWATCHED_NS));
      NAMESPACED.forEach(access -> assertDenied(operator, access, null));
      assertAllowed(operator, LEASES, RELEASE_NS);
      FORBIDDEN.forEach(access -> assertDenied(operator, access, WATCHED_NS));
    }
  }

  /** Applies the chart's ServiceAccount and RBAC objects, as rendered; returns the SA's name. */
  private static String install(String fullname, Map<String, Object> sets) {
    var values = new java.util.HashMap<String, Object>(sets);
    values.put("fullnameOverride", fullname);
    var objects =
        HelmChart.parse(
            HelmChart.template(HelmChart.ciValues("default-values.yaml"), values)
                .replace("namespace: " + HelmChart.NAMESPACE, "namespace: " + RELEASE_NS));
    String serviceAccount = null;
    for (var object : objects) {
      if (object instanceof ServiceAccount
          || object instanceof ClusterRole
          || object instanceof ClusterRoleBinding
          || object instanceof Role
          || object instanceof RoleBinding) {
        applied.add(admin.resource(object).create());
        if (object instanceof ServiceAccount) {
          serviceAccount = object.getMetadata().getName();
        }
      }
    }
    assertThat(serviceAccount).as("the chart renders its ServiceAccount").isEqualTo(fullname);
    return serviceAccount;
  }

  private static void awaitAllowed(KubernetesClient client, Access access, String namespace) {
    // The RBAC authorizer learns of new bindings through its informers, a moment later.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                allowed(
                    client,
                    attributes(access.group(), access.resource(), access.verbs()[0], namespace)));
  }

  private static void assertAllowed(KubernetesClient client, Access access, String namespace) {
    for (String verb : access.verbs()) {
      assertThat(allowed(client, attributes(access.group(), access.resource(), verb, namespace)))
          .as(
              "%s %s in %s is allowed",
              verb, access.resource(), namespace == null ? "the cluster" : namespace)
          .isTrue();
    }
  }

  private static void assertDenied(KubernetesClient client, Access access, String namespace) {
    for (String verb : access.verbs()) {
      assertThat(allowed(client, attributes(access.group(), access.resource(), verb, namespace)))
          .as(
              "%s %s in %s is denied",
              verb, access.resource(), namespace == null ? "the cluster" : namespace)
          .isFalse();
    }
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  private static boolean allowed(KubernetesClient client, ResourceAttributes attributes) {
    var review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withResourceAttributes(attributes)
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }

  private static ResourceAttributes attributes(
      String group, String resource, String verb, String namespace) {
    String[] parts = resource.split("/", 2);
    return new ResourceAttributesBuilder()
        .withGroup(group)
        .withResource(parts[0])
        .withSubresource(parts.length > 1 ? parts[1] : null)
        .withVerb(verb)
        .withNamespace(namespace)
        .build();
  }

  private record Access(String group, String resource, String... verbs) {}
}
