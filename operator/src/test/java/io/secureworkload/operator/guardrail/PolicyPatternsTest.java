package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where ${namespace} keeps namespaces apart, and what a policy with an unsafe pattern does. */
class PolicyPatternsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:${partition}:s3:::${namespace}.*",
        "arn:${partition}:s3:::${namespace}.*/*",
        "arn:${partition}:sqs:*:${account}:${namespace}_*",
        "arn:${partition}:dynamodb:*:${account}:table/${namespace}.*",
        "arn:${partition}:secretsmanager:*:${account}:secret:${namespace}/*",
        "arn:${partition}:s3:::shared/${namespace}/*",
        "arn:${partition}:s3:::${namespace}",
        "arn:${partition}:sqs:*:${account}:orders",
        "*"
      })
  void anchoredAndSeparatedArnPatternsAreSafe(String pattern) {
    assertThat(PolicyPatterns.unsafeArn(pattern)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // team would reach team-payments' names
        "arn:${partition}:s3:::${namespace}-*",
        "arn:${partition}:sqs:*:${account}:${namespace}*",
        "arn:${partition}:sqs:*:${account}:${namespace}?x",
        "arn:${partition}:sqs:*:${account}:${namespace}a_*",
        "arn:${partition}:sqs:*:${account}:${namespace}0_*",
        "arn:${partition}:sqs:*:${account}:${namespace}${region}_*",
        // not at the start of a name
        "arn:${partition}:s3:::data-${namespace}.*",
        "arn:${partition}:s3:::data${namespace}.*",
        // any prefix may stand in front of it
        "arn:${partition}:s3:::*/${namespace}/*",
        "arn:${partition}:sqs:*:${account}:*:${namespace}_*",
        // outside the resource part
        "arn:${partition}:sqs:${namespace}:${account}:q",
        "arn:${partition}:${namespace}:*:${account}:q",
        // the second occurrence counts as much as the first
        "arn:${partition}:s3:::${namespace}.x/${namespace}-*",
        "${namespace}.*"
      })
  void everyOtherPlacementIsUnsafe(String pattern) {
    assertThat(PolicyPatterns.unsafeArn(pattern)).as(pattern).isPresent();
  }

  @Test
  void secretNamePatternsFollowTheSameRule() {
    assertThat(PolicyPatterns.unsafeName("${namespace}/*")).isEmpty();
    assertThat(PolicyPatterns.unsafeName("/${namespace}/*")).isEmpty();
    assertThat(PolicyPatterns.unsafeName("apps/${namespace}/*")).isEmpty();
    assertThat(PolicyPatterns.unsafeName("${namespace}-*")).isPresent();
    assertThat(PolicyPatterns.unsafeName("app-${namespace}/*")).isPresent();
    assertThat(PolicyPatterns.unsafeName("*/${namespace}/*")).isPresent();
  }

  @Test
  void anUnsafePatternMatchesNothingAndIsNamedWhileTheRestApplies() {
    var team =
        policy(
            "team",
            """
            iam:
              allowedResources:
              - "arn:${partition}:s3:::${namespace}-*"
              - "arn:${partition}:s3:::${namespace}.*"
            """);

    assertThat(PolicyPatterns.problems(team))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo("spec.iam.allowedResources[0]");
              assertThat(problem.message()).contains("${namespace}-*").contains("team-payments");
            });
    assertThat(PolicyRules.of(team).allowedResources())
        .containsExactly("arn:${partition}:s3:::${namespace}.*");
  }

  @Test
  void anAllowListWhoseEveryPatternIsUnsafeAllowsNothingRatherThanTheDefault() {
    var team = policy("team", "iam: {allowedResources: ['arn:${partition}:s3:::${namespace}-*']}");

    assertThat(PolicyRules.of(team).allowedResources()).isEmpty();
  }

  @Test
  void aMisspeltDenialIsReportedSinceItDeniesNothing() {
    var team = policy("team", "iam: {deniedActions: ['s3:DeleteBukcet', 's3:DeleteBucket']}");

    assertThat(PolicyPatterns.problems(team))
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("spec.iam.deniedActions[0]"));
  }
}
