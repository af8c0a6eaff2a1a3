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

class EscalationFloorTest {

  private static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:payments-jobs";

  static Stream<String> floor() {
    return DefaultGuardrails.escalationFloor().stream();
  }

  /**
   * Other spellings of each catalogued floor action: case, a ? for a letter, a * for the name's
   * tail. (An entry the catalogue lacks is never written, whatever reaches its name.)
   */
  static Stream<String> spellings() {
    return floor()
        .filter(action -> !action.endsWith("*"))
        .filter(action -> !ActionCatalogue.bundled().expand(action).isEmpty())
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

  /**
   * A few entries name no action of the catalogue (bearer-token APIs such as sso:GetRoleCredentials
   * that IAM policies cannot grant): those are refused as unknown.
   */
  @ParameterizedTest
  @MethodSource("floor")
  void everyFloorActionIsRefusedUnderTheDefaultPolicy(String action) {
    var violations = evaluate(allow(QUEUE, action)).violations();
    var rule =
        ActionCatalogue.bundled().expand(action).isEmpty()
            ? Rule.UNKNOWN_ACTION
            : Rule.ESCALATION_ACTION;

    assertThat(violations)
        .filteredOn(v -> v.rule() == rule)
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
        .filteredOn(Violation::enforced)
        .extracting(Violation::rule)
        .containsAnyOf(Rule.ESCALATION_ACTION, Rule.UNKNOWN_ACTION);
  }

  @Test
  void everyPermissionsManagementActionOfTheCatalogueIsInTheFloor() {
    var catalogue = ActionCatalogue.bundled();
    var permissionsManagement =
        catalogue
            .actions()
            .filter(a -> a.accessLevel() == AccessLevel.PERMISSIONS_MANAGEMENT)
            .toList();

    assertThat(permissionsManagement).hasSizeGreaterThan(400);
    assertThat(permissionsManagement).allMatch(EscalationFloor::contains);
  }

  /**
   * docs/escalation-floor.txt holds every floor action of the catalogues so far: none may go when
   * the catalogue is refreshed. {@code -Ddocs.update=true} adds the new ones (make catalogue).
   */
  @Test
  void theFloorNeverShrinks() throws Exception {
    var file =
        io.secureworkload.operator.testsupport.TestPaths.repoRoot()
            .resolve("docs/escalation-floor.txt");
    var recorded =
        java.nio.file.Files.exists(file)
            ? java.nio.file.Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList()
            : java.util.List.<String>of();
    if (Boolean.getBoolean("docs.update")) {
      var all = new java.util.TreeSet<>(recorded);
      all.addAll(EscalationFloor.actions());
      java.nio.file.Files.writeString(
          file,
          "# Every action of the built-in escalation floor, lower-cased, one a line (docs/guardrails.md).\n"
              + "# Written by make catalogue; a refresh may add lines, never remove one.\n"
              + String.join("\n", all)
              + "\n");
      return;
    }

    assertThat(recorded).hasSizeGreaterThan(500);
    assertThat(EscalationFloor.actions()).containsAll(recorded);
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
                + " allowedActions: [ecr:GetAuthorizationToken]}");

    assertThat(evaluate(allow("*", "ECR:getAuthorizationToken"), team).violations()).isEmpty();
  }

  /**
   * The operator writes a wildcard's expansion, never the wildcard, so a wildcard whose every floor
   * action is opted out grants nothing more than the opted-out names: it is decided on them.
   */
  @Test
  void aWildcardIsDecidedOnTheFloorActionsItGrants() {
    var team =
        policy(
            "team",
            "iam: {allowEscalationActions: [ecr:GetAuthorizationToken], allowedActions: ['ecr:*']}");

    assertThat(evaluate(allow("*", "ecr:GetAuthorization?oken"), team).violations()).isEmpty();
    for (var wider : java.util.List.of("ecr:*", "ecr:Set*", "*")) {
      assertThat(evaluate(allow(QUEUE, wider), team).violations())
          .as(wider)
          .extracting(Violation::rule)
          .contains(Rule.ESCALATION_ACTION);
    }
  }

  @Test
  void anOptOutCountsOnlyWhenEveryPolicyNamesIt() {
    var loose =
        policy(
            "loose",
            "iam: {allowEscalationActions: ['rds-db:connect'], allowedActions: ['rds-db:connect'],"
                + " allowedResources: ['arn:${partition}:rds-db:*:${account}:dbuser:db-ABC/${namespace}']}");
    var strict =
        policy(
            "strict",
            "iam: {allowedActions: ['rds-db:connect'],"
                + " allowedResources: ['arn:${partition}:rds-db:*:${account}:dbuser:db-ABC/${namespace}']}");
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
            "iam: {allowEscalationActions: ['rds-db:connect'], deniedActions: ['rds-db:*'],"
                + " allowedActions: ['rds-db:connect'],"
                + " allowedResources: ['arn:${partition}:rds-db:*:${account}:dbuser:db-ABC/${namespace}']}");

    assertThat(
            evaluate(
                    allow(
                        "arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABC/payments",
                        "rds-db:connect"),
                    team)
                .violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.ACTION_DENIED, "team"));
  }
}
