package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorIamPolicy;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operator-iam-policy.json grants every IAM call the operator makes (OperatorIamPolicyIT runs
 * them), docs/operator-iam-policy.md explains every action it grants, and the Pod Identity grants,
 * which moto cannot exercise (it serves no EKS), are only as wide as they must be.
 */
class OperatorIamPolicyTest {

  private static final String ACCOUNT_ID = "123456789012";
  private static final String REGION = MotoServer.REGION;
  private static final String CLUSTER = OperatorTestEnvironment.CLUSTER;

  /** Calls the policy leaves out on purpose; the docs say why. */
  private static final Set<String> NOT_GRANTED = Set.of("iam:DeleteRolePermissionsBoundary");

  private static final Pattern IAM_CALL = Pattern.compile("\\biam\\s*\\.\\s*([a-z][A-Za-z]+)\\(");

  @Test
  void everyIamCallOfTheOperatorIsGranted() throws IOException {
    var calls = new TreeSet<String>();
    try (var sources =
        Files.list(
            TestPaths.repoRoot()
                .resolve("operator/src/main/java/io/secureworkload/operator/aws"))) {
      for (var file : sources.toList()) {
        IAM_CALL
            .matcher(Files.readString(file))
            .results()
            .map(m -> action(m.group(1)))
            .forEach(calls::add);
      }
    }

    assertThat(calls)
        .as("IAM calls in aws/")
        .contains(
            "iam:CreateRole",
            "iam:GetRole",
            "iam:GetAccountAuthorizationDetails",
            "iam:DeleteRole");
    calls.removeAll(NOT_GRANTED);
    assertThat(OperatorIamPolicy.actions()).containsAll(calls);
  }

  @Test
  void theDocsReferTheJsonAndExplainEveryActionAndEveryOmission() throws IOException {
    var docs = Files.readString(TestPaths.repoRoot().resolve("docs/operator-iam-policy.md"));

    assertThat(docs).contains("(operator-iam-policy.json)");
    OperatorIamPolicy.actions().forEach(action -> assertThat(docs).contains("`" + action + "`"));
    NOT_GRANTED.forEach(action -> assertThat(docs).contains("`" + action + "`"));
  }

  @Test
  void theMotoVariantKeepsEveryActionAndDropsOnlyConditions() {
    var variant = OperatorIamPolicy.motoVariant("123456789012");

    assertThat(variant).doesNotContain("Condition").doesNotContain("ACCOUNT");
    OperatorIamPolicy.actions().forEach(action -> assertThat(variant).contains(action));
    assertThat(variant).contains("arn:aws:iam::123456789012:role/secureworkload/*");
    assertThat(variant).doesNotContain("REGION").doesNotContain("CLUSTER");
  }

  @Test
  void passRoleOnlyToPodIdentityAndOnlyOnTheRolePath() {
    var passing =
        OperatorIamPolicy.statements(ACCOUNT_ID).stream()
            .filter(s -> grants(s, "iam:PassRole"))
            .toList();

    assertThat(passing).as("statements granting iam:PassRole").hasSize(1);
    var statement = passing.get(0);
    assertThat(OperatorIamPolicy.strings(statement.get("Action"))).containsExactly("iam:PassRole");
    assertThat(OperatorIamPolicy.strings(statement.get("Resource")))
        .containsExactly("arn:aws:iam::" + ACCOUNT_ID + ":role/secureworkload/*");
    var condition = statement.path("Condition");
    assertThat(fieldNames(condition)).containsExactly("StringEquals");
    assertThat(fieldNames(condition.path("StringEquals"))).containsExactly("iam:PassedToService");
    assertThat(OperatorIamPolicy.strings(condition.path("StringEquals").get("iam:PassedToService")))
        .containsExactly("pods.eks.amazonaws.com");
  }

  @Test
  void eksActionsOnlyOnThisClusterAndItsAssociations() {
    var cluster = "arn:aws:eks:" + REGION + ":" + ACCOUNT_ID + ":cluster/" + CLUSTER;
    var associations =
        "arn:aws:eks:" + REGION + ":" + ACCOUNT_ID + ":podidentityassociation/" + CLUSTER + "/*";
    var eks =
        OperatorIamPolicy.statements(ACCOUNT_ID).stream()
            .filter(
                s ->
                    OperatorIamPolicy.strings(s.get("Action")).stream()
                        .anyMatch(a -> a.startsWith("eks:")))
            .toList();

    assertThat(eks).as("statements granting eks: actions").hasSize(1);
    assertThat(OperatorIamPolicy.strings(eks.get(0).get("Action")))
        .containsExactlyInAnyOrder(
            "eks:CreatePodIdentityAssociation",
            "eks:UpdatePodIdentityAssociation",
            "eks:DeletePodIdentityAssociation",
            "eks:DescribePodIdentityAssociation",
            "eks:ListPodIdentityAssociations",
            "eks:TagResource");
    assertThat(OperatorIamPolicy.strings(eks.get(0).get("Resource")))
        .containsExactlyInAnyOrder(cluster, associations);
  }

  @Test
  void noStatementGrantsAWholeServiceOrEverything() {
    assertThat(OperatorIamPolicy.actions())
        .noneMatch(a -> a.equals("*") || a.endsWith(":*"))
        .allMatch(a -> a.startsWith("iam:") || a.startsWith("sts:") || a.startsWith("eks:"));
    OperatorIamPolicy.statements(ACCOUNT_ID)
        .forEach(s -> assertThat(s.path("Effect").asText()).isEqualTo("Allow"));
  }

  private static boolean grants(JsonNode statement, String action) {
    return OperatorIamPolicy.strings(statement.get("Action")).stream()
        .anyMatch(
            a -> a.equals(action) || a.equals("*") || a.equals("iam:*") || a.equals("iam:Pass*"));
  }

  private static List<String> fieldNames(JsonNode node) {
    var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** {@code getRolePolicy} or {@code listRolePoliciesPaginator} → {@code iam:GetRolePolicy}. */
  private static String action(String method) {
    var name = method.replaceFirst("Paginator$", "");
    return "iam:" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
