package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.allow;
import static org.assertj.core.api.Assertions.assertThat;

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

/** The example policies say what docs/guardrails.md says they do. */
class ExamplePoliciesTest {

  @Test
  void theTenantPolicyAdmitsItsOwnBucketAndImagePullsButNotAnotherTenantsBucket()
      throws IOException {
    var tenant = load("tenant-payments.yaml").get(0);
    var effective =
        EffectivePolicy.combine(
            PolicySelection.matching(List.of(tenant), "payments", Map.of()),
            DefaultGuardrails.policy());

    var own =
        allow("arn:aws:s3:::payments-data/*", "s3:GetObject")
            + "  - actions: [ecr:GetAuthorizationToken]\n    resources: ['*']\n";
    var foreign = allow("arn:aws:s3:::billing-data/*", "s3:GetObject");

    assertThat(evaluate(own, effective).violations()).isEmpty();
    assertThat(evaluate(foreign, effective).violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Rule.RESOURCE_NOT_ALLOWED, "tenant-payments"));
  }

  @Test
  void theTrialReportsWhatTheBaselineAllows() throws IOException {
    var policies = load("baseline-and-trial.yaml");
    var matching = PolicySelection.matching(policies, "payments", Map.of("pci", "true"));
    var effective = EffectivePolicy.combine(matching, DefaultGuardrails.policy());

    var verdict = evaluate(allow("arn:aws:s3:::payments-data/*", "s3:DeleteObject"), effective);

    assertThat(effective.policyNames()).containsExactly("baseline", "pci-trial");
    assertThat(verdict.blocks()).isFalse();
    assertThat(verdict.audited()).extracting(Violation::policy).containsExactly("pci-trial");
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
