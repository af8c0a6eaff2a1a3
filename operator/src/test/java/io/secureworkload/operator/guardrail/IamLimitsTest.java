package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IamLimitsTest {

  @Test
  void whitespaceDoesNotCountAnywhere() {
    assertThat(IamLimits.countedLength("{\"a\":1}")).isEqualTo(7);
    assertThat(IamLimits.countedLength("{ \"a\" : 1 }")).isEqualTo(7);
    assertThat(IamLimits.countedLength("{\n\t\"a\":\r\n 1\n}")).isEqualTo(7);
    assertThat(IamLimits.countedLength("{\"a b\":1}")).isEqualTo(8);
  }

  @Test
  void aCharacterOutsideTheBasicPlaneCountsOnce() {
    assertThat(IamLimits.countedLength("{\"\uD83D\uDE00\":1}")).isEqualTo(7);
  }

  @Test
  void theInlinePolicyLimitCountsTheDocumentIamWouldGet() {
    var eighty = longStatements(80);
    var hundred = longStatements(100);

    assertThat(limits(eighty)).isEmpty();
    assertThat(limits(hundred))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.INLINE_POLICY_TOO_LARGE);
              assertThat(v.field()).hasToString("spec.iam.statements");
              assertThat(v.policy()).isEqualTo(IamLimits.SOURCE);
              assertThat(v.detail()).contains("IAM allows at most 10240");
            });
  }

  @Test
  void theInlinePolicyLimitIncludesTheSecretAccessTheOperatorAdds() {
    var objects =
        IntStream.range(0, 32)
            .mapToObj(i -> "  - {name: payments/" + "s".repeat(380) + i + ", type: secretsmanager}")
            .collect(Collectors.joining("\n"));

    assertThat(limits("secrets:\n  objects:\n" + objects + "\n"))
        .extracting(Violation::rule)
        .containsExactly(Rule.INLINE_POLICY_TOO_LARGE);
  }

  @Test
  void theTrustPolicyLimitIsTheAccountsSetting() {
    var trust = "{\"a\":\"" + "x".repeat(2100) + "\"}";
    var context = Guardrails.context().toBuilder().trustPolicy(trust).build();

    assertThat(IamLimits.check(TestWorkloads.minimal().getSpec(), null, context))
        .extracting(Violation::rule)
        .containsExactly(Rule.TRUST_POLICY_TOO_LARGE);
    assertThat(
            IamLimits.check(
                TestWorkloads.minimal().getSpec(),
                null,
                context.toBuilder().maxTrustPolicyCharacters(4096).build()))
        .isEmpty();
  }

  @Test
  void managedPoliciesPerRoleAreTheAccountsSetting() {
    var spec =
        TestWorkloads.withSpec(
                "iam: {managedPolicyArns: ["
                    + IntStream.range(0, 11)
                        .mapToObj(i -> "'arn:aws:iam::111122223333:policy/p" + i + "'")
                        .collect(Collectors.joining(", "))
                    + "]}")
            .getSpec();

    assertThat(IamLimits.check(spec, null, Guardrails.context()))
        .extracting(Violation::rule, v -> v.field().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Rule.TOO_MANY_MANAGED_POLICIES, "spec.iam.managedPolicyArns"));
    assertThat(
            IamLimits.check(
                spec, null, Guardrails.context().toBuilder().maxManagedPoliciesPerRole(20).build()))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} tags: {1}")
  @CsvSource({"50, false", "51, true"})
  void tags(int tags, boolean refused) {
    var context = Guardrails.context().toBuilder().tagCount(tags).build();

    assertThat(IamLimits.check(TestWorkloads.minimal().getSpec(), null, context))
        .extracting(Violation::rule)
        .containsExactlyElementsOf(refused ? List.of(Rule.TOO_MANY_TAGS) : List.of());
  }

  @ParameterizedTest(name = "{0} characters: {1}")
  @CsvSource({"64, false", "65, true"})
  void roleName(int length, boolean refused) {
    var context = Guardrails.context().toBuilder().roleName("r".repeat(length)).build();

    assertThat(IamLimits.check(TestWorkloads.minimal().getSpec(), null, context))
        .extracting(Violation::rule)
        .containsExactlyElementsOf(refused ? List.of(Rule.ROLE_NAME_TOO_LONG) : List.of());
  }

  @ParameterizedTest(name = "{0} s: {1}")
  @CsvSource({"3599, true", "3600, false", "43200, false", "43201, true"})
  void sessionDuration(int seconds, boolean refused) {
    var spec =
        TestWorkloads.withSpec("iam: {maxSessionDurationSeconds: " + seconds + "}").getSpec();

    assertThat(IamLimits.check(spec, null, Guardrails.context()))
        .extracting(Violation::rule)
        .containsExactlyElementsOf(
            refused ? List.of(Rule.SESSION_DURATION_OUT_OF_RANGE) : List.of());
  }

  /** Statements of about 100 counted characters each. */
  private static String longStatements(int count) {
    return "iam:\n  statements:\n"
        + IntStream.range(0, count)
            .mapToObj(
                i ->
                    "  - {actions: [sqs:SendMessage], resources: ['arn:aws:sqs:eu-west-1:111122223333:q"
                        + "x".repeat(20)
                        + i
                        + "']}")
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  /** The limits of the spec, its inline policy written as the operator sends it. */
  private static List<Violation> limits(String specYaml) {
    var spec = TestWorkloads.withSpec(specYaml).getSpec();
    var written = WrittenPolicy.inlinePolicy(spec, Guardrails.effective(), Guardrails.context());
    return IamLimits.check(spec, written, Guardrails.context());
  }
}
