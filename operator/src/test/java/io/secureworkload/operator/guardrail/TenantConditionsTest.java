package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A tenant's conditions stay off the keys the operator sets, in every spelling. */
class TenantConditionsTest {

  private static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:payments_jobs";
  private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1111-aaaa";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "StringEquals, kms:ViaService",
    "StringEquals, KMS:VIASERVICE",
    "StringEqualsIfExists, kms:viaservice",
    "StringLike, ' kms:ViaService'",
    "ForAnyValue:StringLike, kms:resourcealiases",
    "ForAllValues:StringEquals, kms:ResourceAliases",
    "'ForAnyValue:StringLikeIfExists', KMS:ResourceAliases",
    "StringNotEquals, aws:resourceaccount",
    "Null, aws:ResourceAccount",
    "stringequals, AWS:ResourceAccount",
    "StringLike, s3:Prefix",
    "ArnLike, S3:PREFIX",
  })
  void aKeyTheOperatorSetsIsRefusedUnderEveryOperatorAndInEveryCase(String operator, String key) {
    var verdict =
        evaluateUnderAuditOnly(
            "iam:\n  statements:\n  - actions: [kms:Decrypt]\n    resources: ['%s']\n"
                    .formatted(KEY)
                + "    conditions: {'%s': {'%s': ['x']}}\n".formatted(operator, key));

    assertThat(verdict.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.OPERATOR_CONDITION_KEY);
              assertThat(v.field())
                  .hasToString("spec.iam.statements[0].conditions." + operator + "." + key);
              assertThat(v.badValue()).isEqualTo(key);
              assertThat(v.enforced()).isTrue();
              assertThat(v.policy()).isEqualTo(DefaultGuardrails.DEFAULT_POLICY_NAME);
            });
    assertThat(verdict.narrowed().spec().getIam().getStatements()).isEmpty();
  }

  @Test
  void otherKeysAndDenyStatementsAreTheTenantsOwn() {
    var verdict =
        evaluate(
            """
            iam:
              statements:
              - actions: [sqs:SendMessage]
                resources: ['%s']
                conditions: {Bool: {'aws:SecureTransport': ['true']}, StringEquals: {'aws:SourceVpc': [vpc-1]}}
              - effect: Deny
                actions: ['sqs:*']
                resources: ['*']
                conditions: {StringNotEquals: {'aws:ResourceAccount': ['111122223333']}}
            """
                .formatted(QUEUE));

    assertThat(verdict.violations()).isEmpty();
  }

  /**
   * The keys the guardrails guard are every key the operator writes: the documents it sends for
   * specs that bring out each of its conditions name no other.
   */
  @Test
  void theGuardedKeysAreEveryKeyTheOperatorWrites() throws Exception {
    var shared =
        policy(
            "shared", "iam: {allowedResources: ['arn:${partition}:s3:::shared/${namespace}/*']}");
    var spec =
        """
        iam:
          statements:
          - actions: [s3:GetObject, s3:ListBucket, kms:Decrypt]
            resources: ['arn:aws:s3:::shared', 'arn:aws:s3:::shared/payments/*', '%s']
        secrets:
          objects: [{name: payments/db, type: secretsmanager}]
          kmsKeyArns: ['%s']
        """
            .formatted(KEY, KEY);
    var document =
        WrittenPolicy.inlinePolicy(
            TestWorkloads.withSpec(spec).getSpec(),
            Guardrails.effective(shared),
            Guardrails.context());

    var written = new TreeSet<String>();
    new ObjectMapper()
        .readTree(document)
        .get("Statement")
        .forEach(
            statement ->
                statement
                    .path("Condition")
                    .forEach(block -> block.fieldNames().forEachRemaining(written::add)));

    assertThat(written)
        .containsExactlyInAnyOrderElementsOf(PolicyStatement.OPERATOR_CONDITION_KEYS);
    assertThat(
            PolicyStatement.OPERATOR_CONDITION_KEYS.stream()
                .map(k -> k.toLowerCase(Locale.ROOT))
                .distinct())
        .hasSameSizeAs(PolicyStatement.OPERATOR_CONDITION_KEYS);
  }

  private static Verdict evaluateUnderAuditOnly(String workloadSpec) {
    var audit = DefaultGuardrails.policy();
    audit.getSpec().setMode(Mode.Audit);
    return GuardrailEvaluator.evaluate(
        TestWorkloads.withSpec(workloadSpec),
        EffectivePolicy.of(List.of(audit)),
        Guardrails.context());
  }
}
