package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.HelmChart;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The chart's default policy, as Helm renders it and with a rule of its own added through values,
 * on a real API server: it governs a namespace that no enforced policy selects, in place of the
 * built-in default, and yields to an enforced policy that selects it; an Audit trial leaves its
 * enforcement in place.
 */
class MarkedDefaultPolicyIT {

  private static final String MARKED = "it-marked-default";

  /** Deletes objects of a bucket of the namespace's own ("NS" stands for the namespace). */
  private static final String DELETE =
      "iam: {statements: [{actions: [s3:DeleteObject], resources: ['arn:aws:s3:::NS.reports/*']}]}";

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  private static final OperatorTestEnvironment ENV = new OperatorTestEnvironment(MOTO.server());

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final KubernetesClient admin = KubeApiServer.get().newClient();
  private final List<String> policies = new ArrayList<>();
  private WorkloadAssertions workloads;

  /**
   * The test's namespace leaves the ITs' permissive policy; the chart's default, renamed, refuses
   * {@code s3:DeleteObject} (the built-in default does not) and names the boundary.
   */
  @BeforeEach
  void chartsDefaultPolicyWithARuleOfItsOwn() {
    workloads = new WorkloadAssertions(operator);
    admin
        .namespaces()
        .withName(operator.getNamespace())
        .edit(
            n -> {
              n.getMetadata().getLabels().put(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true");
              return n;
            });
    var rendered =
        HelmChart.render(
                HelmChart.ciValues("default-values.yaml"),
                Map.of(
                    "defaultPolicy.name",
                    MARKED,
                    "defaultPolicy.spec.iam.deniedActions[0]",
                    "s3:DeleteObject",
                    "defaultPolicy.spec.iam.permissionsBoundaryArn",
                    OperatorTestEnvironment.BOUNDARY))
            .stream()
            .filter(o -> o.getKind().equals("SecureWorkloadPolicy"))
            .findFirst()
            .orElseThrow();
    apply(new KubernetesSerialization().convertValue(rendered, SecureWorkloadPolicy.class));
  }

  @AfterEach
  void removePolicies() {
    policies.forEach(name -> admin.resources(SecureWorkloadPolicy.class).withName(name).delete());
  }

  @Test
  void theMarkedDefaultGovernsWhereNoEnforcedPolicySelectsAndYieldsToOneThatDoes() {
    create("deleter", DELETE);

    assertRefusedByTheMarkedDefault("deleter");

    // A tenant policy that selects the namespace and does not refuse s3:DeleteObject: from now on
    // it alone governs there (an ordinary policy selecting every namespace would still refuse).
    apply(
        policy(
            """
            metadata: {name: it-team-%1$s}
            spec:
              namespaces: [%1$s]
              iam: {permissionsBoundaryArn: '%2$s'}
            """
                .formatted(operator.getNamespace(), OperatorTestEnvironment.BOUNDARY)));

    workloads.awaitReady("deleter");
  }

  @Test
  void anAuditTrialDoesNotTakeTheMarkedDefaultsEnforcementAway() {
    apply(
        policy(
            """
            metadata: {name: it-trial-%1$s}
            spec:
              namespaces: [%1$s]
              mode: Audit
              iam: {allowedActions: ['s3:Get*']}
            """
                .formatted(operator.getNamespace())));

    create("deleter", DELETE);

    assertRefusedByTheMarkedDefault("deleter");
  }

  private void assertRefusedByTheMarkedDefault(String name) {
    var refused =
        workloads.awaitCondition(name, "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .as(workloads.describe(name))
        .contains("spec.iam.statements[0].actions[0]")
        .contains("[policy " + MARKED + "]");
    assertThatThrownBy(
            () ->
                ENV.iamClient()
                    .getRole(r -> r.roleName(ENV.roleName(operator.getNamespace(), name))))
        .as("no role for the refused %s", name)
        .isInstanceOf(NoSuchEntityException.class);
  }

  private void create(String name, String spec) {
    operator.create(
        workload(
            name,
            "selector: {matchLabels: {app: "
                + name
                + "}}\n"
                + spec.replace("NS", operator.getNamespace())));
  }

  private static SecureWorkloadPolicy policy(String yaml) {
    return Serialization.unmarshal(
        "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkloadPolicy\n" + yaml,
        SecureWorkloadPolicy.class);
  }

  private void apply(SecureWorkloadPolicy policy) {
    admin.resource(policy).serverSideApply();
    policies.add(policy.getMetadata().getName());
  }
}
