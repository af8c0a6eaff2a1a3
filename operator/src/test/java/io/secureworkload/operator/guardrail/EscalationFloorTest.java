package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.allow;
import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EscalationFloorTest {

  private static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:payments-jobs";

  static Stream<String> floor() {
    return DefaultGuardrails.escalationFloor().stream();
  }

  /** Other spellings of each floor action: case, a ? for a letter, a * for the name's tail. */
  static Stream<String> spellings() {
    return floor()
        .filter(action -> !action.endsWith("*"))
        .flatMap(
            action -> {
              var colon = action.indexOf(':');
              var name = action.substring(colon + 1);
              return Stream.of(
                  action.toUpperCase(Locale.ROOT),
                  action.toLowerCase(Locale.ROOT),
                  action.substring(0, colon + 1) + "?" + name.substring(1),
                  action.substring(0, colon + 1) + name.charAt(0) + "*",
                  action.substring(0, colon + 1) + "*",
                  "*");
            });
  }

  @ParameterizedTest
  @MethodSource("floor")
  void everyFloorActionIsRefusedUnderTheDefaultPolicy(String action) {
    var violations = evaluate(allow(QUEUE, action)).violations();

    assertThat(violations)
        .filteredOn(v -> v.rule() == Rule.ESCALATION_ACTION)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).hasToString("spec.iam.statements[0].actions[0]");
              assertThat(v.badValue()).isEqualTo(action);
              assertThat(v.policy()).isEqualTo("default");
              assertThat(v.enforced()).isTrue();
            });
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void everyOtherSpellingThatReachesAFloorActionIsRefused(String action) {
    assertThat(evaluate(allow(QUEUE, action)).violations())
        .extracting(Violation::rule)
        .contains(Rule.ESCALATION_ACTION);
  }

  @ParameterizedTest
  @MethodSource("floor")
  void anAuditPolicyDoesNotSoftenTheFloor(String action) {
    var audit = policy("team", "mode: Audit");

    assertThat(evaluate(allow(QUEUE, action), audit).blocks()).isTrue();
  }

  @Test
  void anActionNamedInFullByTheOptOutIsAllowed() {
    var team =
        policy(
            "team",
            "iam: {allowEscalationActions: [ecr:GetAuthorizationToken],"
                + " wildcardResourceActions: [ecr:GetAuthorizationToken]}");

    assertThat(evaluate(allow("*", "ECR:getAuthorizationToken"), team).violations()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecr:Get*", "ecr:GetAuthorization?oken", "ecr:*", "*"})
  void aWildcardIsRefusedEvenWhenItsOnlyFloorActionIsOptedOut(String action) {
    var team = policy("team", "iam: {allowEscalationActions: [ecr:GetAuthorizationToken]}");

    assertThat(evaluate(allow(QUEUE, action), team).violations())
        .extracting(Violation::rule)
        .contains(Rule.ESCALATION_ACTION);
  }

  @Test
  void anOptOutCountsOnlyWhenEveryPolicyNamesIt() {
    var loose = policy("loose", "iam: {allowEscalationActions: ['rds-db:connect']}");
    var strict = policy("strict", "");
    var database = "arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABC/payments";

    assertThat(evaluate(allow(database, "rds-db:connect"), loose).violations()).isEmpty();
    assertThat(evaluate(allow(database, "rds-db:connect"), loose, strict).violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.ESCALATION_ACTION);
  }

  @Test
  void anOptOutStillObeysThePolicysOwnDenyList() {
    var team =
        policy(
            "team",
            "iam: {allowEscalationActions: ['rds-db:connect'], deniedActions: ['rds-db:*']}");

    assertThat(
            evaluate(
                    allow("arn:aws:rds-db:eu-west-1:111122223333:dbuser:x/y", "rds-db:connect"),
                    team)
                .violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.ACTION_DENIED, "team"));
  }
}
