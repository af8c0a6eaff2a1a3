package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.guardrail.DefaultGuardrails;
import io.secureworkload.operator.guardrail.EffectivePolicy;
import io.secureworkload.operator.guardrail.GuardrailContext;
import io.secureworkload.operator.guardrail.WrittenPolicy;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.util.List;
import java.util.Optional;

/**
 * The role the operator gives a workload, its inline policy written as the guardrails write it
 * (actions expanded, the operator's conditions added): what tests compare IAM's roles with.
 *
 * @param policies the policies that govern the workload's namespace; none: the default
 */
public record TestRoles(
    OperatorSettings settings, String accountId, List<SecureWorkloadPolicy> policies) {

  /** Under the default guardrails. */
  public TestRoles(OperatorSettings settings, String accountId) {
    this(settings, accountId, List.of());
  }

  /**
   * Under the ITs' permissive policy, which governs the namespaces of tests not about guardrails.
   */
  public static TestRoles permissive(OperatorSettings settings) {
    return new TestRoles(
        settings,
        MotoServer.ACCOUNT_ID,
        List.of(
            Serialization.unmarshal(
                OperatorTestEnvironment.PERMISSIVE_POLICY, SecureWorkloadPolicy.class)));
  }

  public DesiredRole desired(SecureWorkload workload, String namespaceUid, String boundary) {
    var spec = Optional.ofNullable(workload.getSpec()).orElseGet(SecureWorkloadSpec::new);
    var context =
        GuardrailContext.builder()
            .accountId(accountId)
            .partition(settings.partition())
            .region(settings.awsRegion())
            .namespace(workload.getMetadata().getNamespace())
            .build();
    var inline =
        WrittenPolicy.inlinePolicy(
            spec, EffectivePolicy.combine(policies, DefaultGuardrails.policy()), context);
    return new WorkloadRole(settings, () -> accountId)
        .desired(workload, namespaceUid, boundary, inline);
  }
}
