package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.PolicyStatement.Effect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceAccountConditionTest {

  private static final List<String> OWN = List.of("111122223333");

  @Test
  void anS3StatementIsKeptInTheAllowedAccounts() {
    var statement = statement(Effect.Allow, "arn:aws:s3:::payments-data/*", null);

    var bounded = ResourceAccountCondition.apply(statement, OWN);

    assertThat(bounded.getConditions())
        .isEqualTo(Map.of("StringEquals", Map.of("aws:ResourceAccount", OWN)));
    assertThat(statement.getConditions()).as("the original is untouched").isNull();
  }

  @Test
  void theTenantsOwnConditionsStay() {
    var statement =
        statement(
            Effect.Allow,
            "arn:aws:s3:::payments-data/*",
            Map.of("StringEquals", Map.of("s3:prefix", List.of("in/"))));

    assertThat(ResourceAccountCondition.apply(statement, OWN).getConditions())
        .isEqualTo(
            Map.of(
                "StringEquals", Map.of("s3:prefix", List.of("in/"), "aws:ResourceAccount", OWN)));
  }

  @Test
  void arnsWithAnAccountAndDenyStatementsNeedNone() {
    var queue = statement(Effect.Allow, "arn:aws:sqs:eu-west-1:111122223333:q", null);
    var deny = statement(Effect.Deny, "arn:aws:s3:::x", null);

    assertThat(ResourceAccountCondition.needed(queue)).isFalse();
    assertThat(ResourceAccountCondition.needed(deny)).isFalse();
    assertThat(ResourceAccountCondition.apply(queue, OWN)).isSameAs(queue);
  }

  private static PolicyStatement statement(
      Effect effect, String resource, Map<String, Map<String, List<String>>> conditions) {
    return new PolicyStatement(
        null, effect, List.of("s3:GetObject"), List.of(resource), conditions);
  }
}
