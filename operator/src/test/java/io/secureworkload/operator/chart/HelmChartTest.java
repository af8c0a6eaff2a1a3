package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.secureworkload.operator.testsupport.HelmChart;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as Helm sees it: every {@code ci/} values file lints strictly and renders a complete,
 * restricted install; the options (watched namespaces, leader election, PodDisruptionBudget) change
 * what they should and nothing else.
 */
class HelmChartTest {

  static Stream<Path> ciValueFiles() {
    return HelmChart.ciValueFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValueFiles")
  void lintsStrictly(Path values, @TempDir Path scratch) {
    var result = HelmChart.lintStrict(values, scratch);

    assertThat(result.isFailed()).as("helm lint --strict:%n%s", result.getMessages()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValueFiles")
  void rendersACompleteRestrictedInstall(Path values) {
    var objects = HelmChart.render(values);

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("Deployment", "ClusterRole", "ClusterRoleBinding");
    var pod = HelmChart.single(objects, Deployment.class).getSpec().getTemplate().getSpec();
    assertRestricted(pod);
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    HelmChart.ofType(objects, ServiceAccount.class)
        .forEach(sa -> assertThat(sa.getAutomountServiceAccountToken()).isFalse());
    assertThat(rules(objects))
        .allSatisfy(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              if (rule.getResources().contains("pods")) {
                assertThat(rule.getVerbs()).as("verbs on pods").containsExactly("list");
              }
              assertThat(rule.getApiGroups()).doesNotContain("*");
            });
    assertThat(
            HelmChart.ofType(objects, ClusterRole.class).stream()
                .flatMap(r -> r.getRules().stream()))
        .as("cluster-wide rules")
        .allSatisfy(rule -> assertThat(rule.getResources()).doesNotContain("secrets"));
    HelmChart.ofType(objects, Role.class).stream()
        .flatMap(r -> r.getRules().stream())
        .filter(rule -> rule.getResources().contains("secrets"))
        .forEach(
            rule -> {
              assertThat(rule.getResourceNames()).as("Secrets only by name").isNotEmpty();
              assertThat(rule.getVerbs()).as("verbs on Secrets").containsExactly("get");
            });
    objects.forEach(
        o ->
            assertThat(o.getMetadata().getName())
                .as("name of the %s", o.getKind())
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"));
  }

  @Test
  void theOperatorReadsExactlyTheExternalIdSecretsItIsGivenInItsOwnNamespace() {
    var objects = HelmChart.render(HelmChart.ciValues("service-monitor-values.yaml"));

    var role =
        HelmChart.ofType(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-external-ids"))
            .findFirst()
            .orElseThrow();
    assertThat(role.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getResourceNames())
                  .containsExactly("account-team-a", "account-team-b");
              assertThat(rule.getVerbs()).containsExactly("get");
            });
    assertThat(HelmChart.render(HelmChart.ciValues("default-values.yaml")))
        .as("no external id Secret named: no Role")
        .noneMatch(o -> o.getMetadata().getName().endsWith("-external-ids"));
  }

  @Test
  void everyRbacRuleSaysWhy() {
    String manifests =
        HelmChart.template(HelmChart.ciValues("watch-namespaces-values.yaml"), Map.of())
            + HelmChart.template(HelmChart.ciValues("default-values.yaml"), Map.of());

    List<String> lines = manifests.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).stripLeading().startsWith("- apiGroups:")) {
        assertThat(lines.get(i - 1).strip())
            .as("the line before rule %d: %s", i, lines.get(i))
            .startsWith("# why: ");
      }
    }
  }

  @Test
  void defaultsRunTwoReplicasWithLeaderElectionAndABudget() {
    var objects = HelmChart.render(HelmChart.ciValues("default-values.yaml"));

    var deployment = HelmChart.single(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    var env = env(deployment);
    assertThat(env)
        .filteredOn(e -> e.getName().equals("SW_LEADER_ELECTION"))
        .singleElement()
        .extracting(EnvVar::getValue)
        .isEqualTo("on");
    assertThat(env)
        .filteredOn(e -> e.getName().equals("SW_LEADER_ELECTION_NAMESPACE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.namespace"));
    assertThat(HelmChart.single(objects, PodDisruptionBudget.class).getSpec().getMinAvailable())
        .satisfies(min -> assertThat(min.getIntVal()).isEqualTo(1));
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .as("the replicas prefer different nodes")
        .singleElement()
        .satisfies(
            term ->
                assertThat(term.getPodAffinityTerm().getTopologyKey())
                    .isEqualTo("kubernetes.io/hostname"));
    var lease = HelmChart.single(objects, Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(lease.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
              assertThat(rule.getResources()).containsExactly("leases");
            });
  }

  @Test
  void oneReplicaWithoutLeaderElectionRecreatesAndHasNoLeaseOrBudget() {
    var objects = HelmChart.render(HelmChart.ciValues("single-replica-values.yaml"));

    var deployment = HelmChart.single(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(env(deployment))
        .filteredOn(e -> e.getName().equals("SW_LEADER_ELECTION"))
        .singleElement()
        .extracting(EnvVar::getValue)
        .isEqualTo("off");
    assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(HelmChart.ofType(objects, Role.class)).isEmpty();
    assertThat(HelmChart.ofType(objects, PodDisruptionBudget.class)).isEmpty();
    assertThat(HelmChart.ofType(objects, NetworkPolicy.class)).isEmpty();
  }

  @Test
  void watchedNamespacesGetRolesAndTheClusterRoleKeepsOnlyClusterScopedKinds() {
    var objects = HelmChart.render(HelmChart.ciValues("watch-namespaces-values.yaml"));

    var clusterRole = HelmChart.single(objects, ClusterRole.class);
    assertThat(clusterRole.getRules())
        .flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder(
            "customresourcedefinitions",
            "namespaces",
            "secureworkloadpolicies",
            "secureworkloadpolicies/status");
    var namespacedRoles =
        HelmChart.ofType(objects, Role.class).stream()
            .filter(r -> !r.getMetadata().getName().endsWith("-leader-election"))
            .toList();
    assertThat(namespacedRoles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("payments", "reports");
    assertThat(namespacedRoles)
        .allSatisfy(
            role ->
                assertThat(role.getRules())
                    .flatExtracting(PolicyRule::getResources)
                    .contains("secureworkloads", "serviceaccounts", "networkpolicies", "events"));
    assertThat(HelmChart.ofType(objects, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace())
        .contains("payments", "reports", HelmChart.NAMESPACE);
    assertThat(env(HelmChart.single(objects, Deployment.class)))
        .filteredOn(e -> e.getName().equals("SW_WATCH_NAMESPACES"))
        .singleElement()
        .extracting(EnvVar::getValue)
        .isEqualTo("payments,reports");
  }

  @Test
  void theOperatorsOwnNetworkPolicyAdmitsMetricsAndReachesOnlyApiServerDnsAndAws() {
    var objects = HelmChart.render(HelmChart.ciValues("service-monitor-values.yaml"));

    var policy = HelmChart.single(objects, NetworkPolicy.class).getSpec();
    assertThat(policy.getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getIngress())
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("metrics")));
    assertThat(policy.getEgress()).hasSize(3);
    assertThat(policy.getEgress().get(0).getTo())
        .extracting(peer -> peer.getIpBlock().getCidr())
        .containsExactly("10.0.0.0/16");
    assertThat(policy.getEgress().get(1).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    assertThat(policy.getEgress().get(2).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(443);
    assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor", "Service");
    var deployment = HelmChart.single(objects, Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9090));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endsWith("@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  }

  /** The restricted Pod Security Standard's requirements, and the chart's own promises. */
  static void assertRestricted(PodSpec pod) {
    var podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isPositive();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getContainers())
        .singleElement()
        .satisfies(
            container -> {
              var context = container.getSecurityContext();
              assertThat(context.getAllowPrivilegeEscalation()).isFalse();
              assertThat(context.getReadOnlyRootFilesystem()).isTrue();
              assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
              assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
              assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
              assertThat(container.getResources().getLimits()).containsKey("memory");
              assertThat(container.getVolumeMounts())
                  .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
              assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
              assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
            });
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  private static List<EnvVar> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }

  private static List<PolicyRule> rules(List<HasMetadata> objects) {
    return Stream.concat(
            HelmChart.ofType(objects, ClusterRole.class).stream()
                .flatMap(r -> r.getRules().stream()),
            HelmChart.ofType(objects, Role.class).stream().flatMap(r -> r.getRules().stream()))
        .toList();
  }
}
