package io.secureworkload.operator.chart;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.config.LeaderElectionSettings;
import io.secureworkload.operator.testsupport.AuditLog;
import io.secureworkload.operator.testsupport.AuditLog.Access;
import io.secureworkload.operator.testsupport.HelmChart;
import io.secureworkload.operator.testsupport.ImpersonatedClients;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.NamespaceWorkloads;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chart's RBAC, proven by the operator itself: the rendered ServiceAccount, Roles and bindings
 * applied, the operator run in this JVM with a client that impersonates that ServiceAccount (leader
 * election on), a workload with every part made Ready, changed so that every kind of child is
 * deleted, and deleted. The API server's audit log then says what the ServiceAccount was allowed to
 * do: nothing was forbidden, and every verb × resource the chart grants was used, or is in {@link
 * #RARE_PATHS} with the reason (docs/rbac.md states the same list).
 */
class ChartRbacAuditIT {

  private static final Logger log = LoggerFactory.getLogger(ChartRbacAuditIT.class);

  private static final String SSA_CREATE =
      "a server-side apply that creates the object is a PATCH request, for which the API server"
          + " also authorizes create (serverSideApplyOfANewObjectNeedsCreateAsWell)";
  private static final String GUARDRAILS =
      "the guardrails read namespaces and policies through informers (list, watch); get is for a"
          + " person's kubectl-style look";

  /** Granted but not used by this run, and why. */
  static final Map<String, String> RARE_PATHS =
      Map.ofEntries(
          Map.entry("create serviceaccounts", SSA_CREATE),
          Map.entry("create networking.k8s.io/networkpolicies", SSA_CREATE),
          Map.entry("create secrets-store.csi.x-k8s.io/secretproviderclasses", SSA_CREATE),
          Map.entry("create vpcresources.k8s.aws/securitygrouppolicies", SSA_CREATE),
          Map.entry(
              "get secureworkload.io/secureworkloads",
              "JOSDK re-reads the workload when a finalizer patch meets a conflict"),
          Map.entry(
              "update secureworkload.io/secureworkloads/finalizers",
              "clusters with the OwnerReferencesPermissionEnforcement admission plugin (OpenShift)"
                  + " require it for blockOwnerDeletion owner references"),
          Map.entry("patch events", "repeating an Event (its count); the recorder only creates"),
          Map.entry(
              "list pods",
              "only while a namespace moves to another account: the pods that may still hold the"
                  + " old role (AccountMoveIT)"),
          Map.entry("get namespaces", GUARDRAILS),
          Map.entry("get secureworkload.io/secureworkloadpolicies", GUARDRAILS));

  /** Allowed to every authenticated user by Kubernetes' own roles, not by the chart. */
  private static final Set<String> DEFAULT_ROLES =
      Set.of(
          "create authorization.k8s.io/selfsubjectrulesreviews",
          "create authorization.k8s.io/selfsubjectaccessreviews");

  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private static final String SUFFIX = String.valueOf(System.nanoTime());
  private static final String RELEASE_NS = "audit-release-" + SUFFIX;
  private static final String TENANT_NS = "audit-tenant-" + SUFFIX;
  private static final String FULLNAME = "audit-" + SUFFIX;

  private static final KubernetesClient admin = KubeApiServer.get().newClient();
  private static final List<HasMetadata> clusterScoped = new ArrayList<>();

  @AfterAll
  static void cleanUp() {
    clusterScoped.forEach(o -> admin.resource(o).delete());
    admin.close();
  }

  /**
   * Why the chart grants {@code create} beside {@code patch} on the children: server-side apply of
   * an object that does not exist yet is a PATCH request, for which the API server also authorizes
   * {@code create}. The audit log records the request's verb only.
   */
  @Test
  void serverSideApplyOfANewObjectNeedsCreateAsWell() {
    String ns = "audit-apply-" + SUFFIX;
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    admin
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata()
                .withName("patch-only")
                .withNamespace(ns)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("serviceaccounts")
                .withVerbs("get", "patch")
                .endRule()
                .build())
        .create();
    admin
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata()
                .withName("patch-only")
                .withNamespace(ns)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "patch-only")
                .addNewSubject()
                .withKind("User")
                .withName("patch-only-" + SUFFIX)
                .endSubject()
                .build())
        .create();
    try (var patchOnly = ImpersonatedClients.as("patch-only-" + SUFFIX, "system:authenticated")) {
      var serviceAccount =
          new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
              .withNewMetadata()
              .withName("new")
              .withNamespace(ns)
              .endMetadata()
              .build();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> patchOnly.serviceAccounts().inNamespace(ns).withName("new").get() == null);
      assertThatThrownBy(
              () ->
                  patchOnly
                      .resource(serviceAccount)
                      .fieldManager("t")
                      .forceConflicts()
                      .serverSideApply())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("cannot create resource");
    }
  }

  @Test
  void aWholeLifeRunsAsTheChartsServiceAccountAndEveryGrantIsUsedOrExplained() throws IOException {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(RELEASE_NS).endMetadata().build())
        .create();
    NamespaceWorkloads.installCrds(admin);
    var workloads = new NamespaceWorkloads(admin, TENANT_NS);
    var granted = installChartRbac();
    String user = ImpersonatedClients.serviceAccountUser(RELEASE_NS, FULLNAME);
    awaitRbacInEffect();

    var settings =
        OperatorTestEnvironment.settings(MOTO.endpoint())
            .watchNamespaces(Set.of(TENANT_NS))
            .leaderElection(
                LeaderElectionSettings.on(Optional.of(RELEASE_NS), FULLNAME + "-0")
                    .withTimings(
                        Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofMillis(300)))
            .build();
    var assembly = OperatorAssembly.onAws(settings, MotoServer.credentials());
    try (var running = assembly.start(ImpersonatedClients.asServiceAccount(RELEASE_NS, FULLNAME))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> assembly.leadership().isLeader());

      workloads.create(workload("full", FULL_SPEC));
      workloads.awaitReady("full");
      assertThat(children(NetworkPolicy.class)).hasSize(3);
      assertThat(children(SecretProviderClass.class)).hasSize(1);
      assertThat(children(SecurityGroupPolicy.class)).hasSize(1);

      workloads.replaceSpec("full", workload("full", SMALLER_SPEC));
      workloads.awaitReady("full");
      assertThat(children(NetworkPolicy.class)).hasSize(2);
      assertThat(children(SecretProviderClass.class)).isEmpty();
      assertThat(children(SecurityGroupPolicy.class)).isEmpty();
      assertThat(admin.serviceAccounts().inNamespace(TENANT_NS).withName("full-api").get())
          .isNull();

      workloads.deleteAndAwaitGone("full");
    }

    var allowed = AuditLog.allowed(user);
    var forbidden = AuditLog.forbidden(user);
    var used = new TreeSet<String>();
    allowed.stream().map(Access::toString).forEach(used::add);
    var byDefault = new TreeSet<>(used);
    byDefault.removeAll(granted);
    var unused = new TreeSet<>(granted);
    unused.removeAll(used);
    log.info(
        "Chart grants {} verb x resource pairs; the run used {}, {} unused ones are rare paths: {};"
            + " allowed by Kubernetes' default roles: {}; forbidden: {}",
        granted.size(),
        granted.size() - unused.size(),
        unused.size(),
        unused,
        byDefault,
        forbidden);

    assertThat(forbidden).as("requests of the operator the chart's RBAC forbade").isEmpty();
    assertThat(byDefault).as("allowed by other than the chart").isSubsetOf(DEFAULT_ROLES);
    assertThat(unused)
        .as("granted, unused, and not a known rare path")
        .isEqualTo(RARE_PATHS.keySet());
    var rbacDocs = Files.readString(TestPaths.repoRoot().resolve("docs/rbac.md"));
    RARE_PATHS
        .keySet()
        .forEach(
            pair ->
                assertThat(rbacDocs).as("docs/rbac.md lists %s", pair).contains("`" + pair + "`"));
  }

  private static final String FULL_SPEC =
      """
      selector: {matchLabels: {app: full}}
      serviceAccount: {name: full-api}
      iam:
        statements:
        - actions: [s3:GetObject]
          resources: ["arn:aws:s3:::full/*"]
      secrets:
        region: us-west-2
        objects:
        - {name: prod/full/db, type: secretsmanager, alias: db}
        syncToSecrets:
        - {secretName: full-db, type: Opaque, data: [{key: password, objectAlias: db}]}
      securityGroups:
        groupIds: [sg-0123456789abcdef0]
      network:
        defaultDeny: {ingress: true, egress: true}
        ingress:
        - from: [{podSelector: {matchLabels: {app: frontend}}}]
          ports: [{protocol: TCP, port: 8080}]
        egress:
        - to: [{ipBlock: {cidr: 10.0.48.0/20}}]
          ports: [{protocol: TCP, port: 5432}]
      """;

  /** Secrets, security groups and ingress rules gone, the ServiceAccount renamed. */
  private static final String SMALLER_SPEC =
      """
      selector: {matchLabels: {app: full}}
      serviceAccount: {name: full-worker}
      iam:
        statements:
        - actions: [s3:GetObject]
          resources: ["arn:aws:s3:::full/*"]
      network:
        defaultDeny: {ingress: true, egress: true}
      """;

  private static <T extends HasMetadata> List<T> children(Class<T> type) {
    return admin.resources(type).inNamespace(TENANT_NS).list().getItems();
  }

  /**
   * Applies the chart's ServiceAccount and RBAC, as rendered for watching the tenant namespace only
   * (so the operator leaves the shared API server's other namespaces alone); returns every verb ×
   * resource they grant.
   */
  private static Set<String> installChartRbac() {
    var objects =
        HelmChart.parse(
            HelmChart.template(
                    HelmChart.ciValues("default-values.yaml"),
                    Map.of("fullnameOverride", FULLNAME, "watchNamespaces[0]", TENANT_NS))
                .replace("namespace: " + HelmChart.NAMESPACE, "namespace: " + RELEASE_NS));
    var granted = new TreeSet<String>();
    for (var object : objects) {
      if (object instanceof ServiceAccount
          || object instanceof ClusterRole
          || object instanceof ClusterRoleBinding
          || object instanceof Role
          || object instanceof RoleBinding) {
        var created = admin.resource(object).create();
        if (created.getMetadata().getNamespace() == null) {
          clusterScoped.add(created);
        }
      }
      if (object instanceof ClusterRole role) {
        role.getRules().forEach(rule -> grants(rule, granted));
      }
      if (object instanceof Role role) {
        role.getRules().forEach(rule -> grants(rule, granted));
      }
    }
    return granted;
  }

  private static void grants(PolicyRule rule, Set<String> granted) {
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          granted.add(new Access(verb, group, resource).toString());
        }
      }
    }
  }

  private static void awaitRbacInEffect() {
    // The RBAC authorizer learns of new bindings through its informers, a moment later.
    try (var operator = ImpersonatedClients.asServiceAccount(RELEASE_NS, FULLNAME)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  operator
                          .authorization()
                          .v1()
                          .selfSubjectAccessReview()
                          .create(
                              new SelfSubjectAccessReviewBuilder()
                                  .withNewSpec()
                                  .withNewResourceAttributes()
                                  .withGroup("coordination.k8s.io")
                                  .withResource("leases")
                                  .withVerb("create")
                                  .withNamespace(RELEASE_NS)
                                  .endResourceAttributes()
                                  .endSpec()
                                  .build())
                          .getStatus()
                          .getAllowed()
                      && operator
                          .authorization()
                          .v1()
                          .selfSubjectAccessReview()
                          .create(
                              new SelfSubjectAccessReviewBuilder()
                                  .withNewSpec()
                                  .withNewResourceAttributes()
                                  .withGroup("secureworkload.io")
                                  .withResource("secureworkloads")
                                  .withVerb("watch")
                                  .withNamespace(TENANT_NS)
                                  .endResourceAttributes()
                                  .endSpec()
                                  .build())
                          .getStatus()
                          .getAllowed());
    }
  }
}
