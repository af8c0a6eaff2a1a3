package io.secureworkload.operator.faults;

import static io.secureworkload.operator.testsupport.WorkloadAssertions.isReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestRoles;
import io.secureworkload.operator.testsupport.TestWorkloads;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * N SecureWorkloads in one namespace of their own, and what the fault tests check about them: that
 * they are Ready, and that IAM holds exactly their roles, each complete and correct.
 */
final class Rollout {

  private final KubernetesClient client;
  private final IamClient iam;
  private final OperatorSettings settings;
  private final String namespace;
  private final int size;

  Rollout(
      KubernetesClient client, IamClient iam, OperatorSettings settings, String prefix, int size) {
    this.client = client;
    this.iam = iam;
    this.settings = settings;
    this.namespace = prefix + "-" + Long.toString(System.nanoTime(), 36);
    this.size = size;
    OperatorTestEnvironment.prepareCluster(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                // Governed by the policy below alone, not also by the ITs' permissive one.
                .addToLabels(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    // The default guardrails allow 50 SecureWorkloads per namespace; a full-size rollout has more.
    // (Unset allow-lists are the closed default's, so the queues are named explicitly.)
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: secureworkload.io/v1alpha1
                kind: SecureWorkloadPolicy
                metadata: {name: rollout-%s}
                spec:
                  namespaces: [%s]
                  # Each workload sends to a queue of its own name (see workload()).
                  iam: {permissionsBoundaryArn: %s, allowedResources: ["arn:${partition}:sqs:*:${account}:*"]}
                  limits: {maxWorkloadsPerNamespace: 1000}
                """
                    .formatted(namespace, namespace, OperatorTestEnvironment.BOUNDARY),
                SecureWorkloadPolicy.class))
        .serverSideApply();
  }

  String namespace() {
    return namespace;
  }

  List<String> names() {
    return IntStream.range(0, size).mapToObj(i -> "w" + i).toList();
  }

  /** A workload with its own inline policy, so that a mixed-up document is seen. */
  static SecureWorkload workload(String name) {
    return TestWorkloads.workload(
        name,
        """
        selector: {matchLabels: {app: %s}}
        iam:
          statements:
          - actions: [sqs:SendMessage]
            resources: ["arn:aws:sqs:us-west-2:123456789012:%s"]
        network:
          defaultDeny: {ingress: true, egress: true}
        """
            .formatted(name, name));
  }

  void apply() {
    names().forEach(name -> client.resource(workload(name)).inNamespace(namespace).create());
  }

  List<SecureWorkload> workloads() {
    return client.resources(SecureWorkload.class).inNamespace(namespace).list().getItems();
  }

  long ready() {
    return workloads().stream().filter(WorkloadAssertions::isReady).count();
  }

  /** The roles in IAM whose names say they are this namespace's. */
  List<Role> roles() {
    var marker = "." + namespace + ".";
    return iam.listRolesPaginator(r -> r.pathPrefix(settings.rolePath())).roles().stream()
        .filter(role -> role.roleName().contains(marker))
        .map(role -> iam.getRole(r -> r.roleName(role.roleName())).role())
        .toList();
  }

  /**
   * Exactly one role per workload and no other; each with its six ownership tags, its trust policy
   * and its inline policy as the spec says.
   */
  void assertExactlyTheRolesOf(List<String> workloadNames) {
    var workloadRole = new WorkloadRole(settings, () -> MotoServer.ACCOUNT_ID);
    var roles = roles();
    var expected =
        workloadNames.stream()
            .collect(
                Collectors.toMap(
                    name -> workloadRole.name(named(name)), name -> named(name), (a, b) -> a));
    assertThat(roles)
        .extracting(Role::roleName)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (var role : roles) {
      var workload = expected.get(role.roleName());
      var desired =
          TestRoles.permissive(settings).desired(workload, "any", OperatorTestEnvironment.BOUNDARY);
      Map<String, String> tags =
          role.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
      assertThat(tags)
          .as("tags of %s", role.roleName())
          .containsEntry(WorkloadRole.TAG_CLUSTER, settings.clusterName())
          .containsEntry(WorkloadRole.TAG_ISSUER, settings.oidcProviderHostPath())
          .containsEntry(WorkloadRole.TAG_NAMESPACE, namespace)
          .containsEntry(WorkloadRole.TAG_NAME, workload.getMetadata().getName())
          .containsKeys(WorkloadRole.TAG_MANAGED_BY, WorkloadRole.TAG_NAMESPACE_UID);
      assertThat(
              PolicyDocuments.equivalent(
                  PolicyDocuments.decode(role.assumeRolePolicyDocument()), desired.trustPolicy()))
          .as("trust policy of %s", role.roleName())
          .isTrue();
      var inline =
          PolicyDocuments.decode(
              iam.getRolePolicy(
                      r -> r.roleName(role.roleName()).policyName(DesiredRole.INLINE_POLICY_NAME))
                  .policyDocument());
      assertThat(PolicyDocuments.equivalent(inline, desired.inlinePolicy()))
          .as("inline policy of %s", role.roleName())
          .isTrue();
    }
  }

  private SecureWorkload named(String name) {
    var workload = workload(name);
    workload.getMetadata().setNamespace(namespace);
    return workload;
  }

  /** What a human needs when a rollout did not converge. */
  String describe() {
    return workloads().stream()
        .filter(w -> !isReady(w))
        .limit(5)
        .map(
            w ->
                w.getMetadata().getName()
                    + ": "
                    + (w.getStatus() == null
                        ? "no status"
                        : w.getStatus().getConditions().stream()
                            .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getMessage())
                            .collect(Collectors.joining("; "))))
        .collect(Collectors.joining("\n"));
  }
}
