package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.OBJECTS;
import static io.secureworkload.operator.guardrail.Guardrails.QUEUE;
import static io.secureworkload.operator.guardrail.Guardrails.allow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example policies say what docs/guardrails.md says they do. */
class ExamplePoliciesTest {

  @ParameterizedTest
  @ValueSource(strings = {"tenant-payments.yaml", "baseline-and-trial.yaml"})
  void theExamplesUseOnlySafePatterns(String file) throws IOException {
    assertThat(load(file)).flatExtracting(PolicyPatterns::problems).isEmpty();
  }

  @Test
  void theTenantPolicyAdmitsItsOwnResourcesImagePullsAndSecrets() throws IOException {
    var own =
        allow(OBJECTS, "s3:GetObject")
            + "  - actions: [sqs:SendMessage]\n    resources: ['"
            + QUEUE
            + "']\n"
            + "  - actions: [ecr:GetAuthorizationToken]\n    resources: ['*']\n"
            + "  - actions: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]\n"
            + "    resources: ['arn:aws:ecr:eu-west-1:111122223333:repository/payments/api']\n"
            + "secrets:\n  objects: [{name: payments/db, type: secretsmanager}]\n";

    assertThat(evaluate(own, tenant()).violations()).isEmpty();
  }

  @Test
  void theTenantPolicyRefusesAnotherTenantsBucketAndTheLongerNamespacesToo() throws IOException {
    var billing = allow("arn:aws:s3:::billing.data/*", "s3:GetObject");
    // payments-jobs is selected by the same policy, yet payments must not reach its bucket.
    var paymentsJobs = allow("arn:aws:s3:::payments-jobs.data/*", "s3:GetObject");

    for (var foreign : List.of(billing, paymentsJobs)) {
      assertThat(evaluate(foreign, tenant()).violations())
          .extracting(Violation::rule, Violation::policy)
          .containsExactly(tuple(Rule.RESOURCE_NOT_ALLOWED, "tenant-payments"));
    }
  }

  @Test
  void theTrialReportsWhatTheBaselineAllows() throws IOException {
    var policies = load("baseline-and-trial.yaml");
    var matching = PolicySelection.matching(policies, "payments", Map.of("pci", "true"));
    var effective = EffectivePolicy.combine(matching, DefaultGuardrails.policy());

    var verdict = evaluate(allow(OBJECTS, "s3:DeleteObject"), effective);

    assertThat(effective.policyNames()).containsExactly("baseline", "pci-trial");
    assertThat(verdict.blocks()).isFalse();
    assertThat(verdict.audited())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(tuple(Rule.ACTION_NOT_ALLOWED, "pci-trial"));
  }

  @Test
  void theTeamAccountKeepsTheRolesAndResolvesAccountAndBoundaryThere() throws IOException {
    var policies = load("team-account.yaml");
    var effective =
        EffectivePolicy.combine(
            PolicySelection.matching(policies, "orders", Map.of()), DefaultGuardrails.policy());
    var inTeamAccount =
        Guardrails.context().toBuilder().accountId("210987654321").namespace("orders").build();

    assertThat(effective.account())
        .hasValueSatisfying(
            mapping -> {
              assertThat(mapping.getId()).isEqualTo("210987654321");
              assertThat(mapping.getExternalIdSecretRef().keyOrDefault()).isEqualTo("externalId");
            });
    assertThat(effective.permissionsBoundaryArn(inTeamAccount.placeholders()))
        .contains("arn:aws:iam::210987654321:policy/secureworkload-boundary");
    assertThat(
            GuardrailEvaluator.evaluate(
                    TestWorkloads.withSpec(
                        allow("arn:aws:sqs:eu-west-1:210987654321:orders_jobs", "sqs:SendMessage")),
                    effective,
                    inTeamAccount)
                .violations())
        .isEmpty();
  }

  private static EffectivePolicy tenant() throws IOException {
    var tenant = load("tenant-payments.yaml").get(0);
    return EffectivePolicy.combine(
        PolicySelection.matching(List.of(tenant), "payments", Map.of()),
        DefaultGuardrails.policy());
  }

  private static Verdict evaluate(String spec, EffectivePolicy effective) {
    return GuardrailEvaluator.evaluate(
        TestWorkloads.withSpec(spec), effective, Guardrails.context());
  }

  private static List<SecureWorkloadPolicy> load(String file) throws IOException {
    var text = Files.readString(TestPaths.repoRoot().resolve("examples/policies").resolve(file));
    return Arrays.stream(text.split("(?m)^---$"))
        .map(doc -> Serialization.unmarshal(doc, SecureWorkloadPolicy.class))
        .toList();
  }
}
