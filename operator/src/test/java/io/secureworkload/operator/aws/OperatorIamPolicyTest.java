package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.OperatorIamPolicy;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operator-iam-policy.json grants every IAM call the operator makes (OperatorIamPolicyIT runs
 * them), and docs/operator-iam-policy.md explains every action it grants.
 */
class OperatorIamPolicyTest {

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
  }

  /** {@code getRolePolicy} or {@code listRolePoliciesPaginator} → {@code iam:GetRolePolicy}. */
  private static String action(String method) {
    var name = method.replaceFirst("Paginator$", "");
    return "iam:" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
