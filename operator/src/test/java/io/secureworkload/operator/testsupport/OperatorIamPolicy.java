package io.secureworkload.operator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator's own IAM policy, {@code docs/operator-iam-policy.json}, for an account; and the
 * variant of it that moto's simpler evaluator needs (docs/operator-iam-policy.md, "How it is
 * tested", argues each difference).
 */
public final class OperatorIamPolicy {

  /**
   * Actions moto authorizes against resource {@code *} when the role does not exist (it resolves a
   * request's resource from the RoleName only for an existing role), or that name no role at all,
   * or whose resource it never resolves (an OIDC provider's ARN).
   */
  static final Set<String> MOTO_AUTHORIZES_AGAINST_STAR =
      Set.of("iam:CreateRole", "iam:GetRole", "iam:ListRoles", "iam:GetOpenIDConnectProvider");

  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorIamPolicy() {}

  public static Path file() {
    return TestPaths.repoRoot().resolve("docs/operator-iam-policy.json");
  }

  /**
   * The policy as a platform team installs it, for this account, in the tests' region and for their
   * cluster.
   */
  public static String forAccount(String accountId) {
    return forCluster(accountId, MotoServer.REGION, OperatorTestEnvironment.CLUSTER);
  }

  /** The policy with its three placeholders, {@code ACCOUNT}, {@code REGION}, {@code CLUSTER}. */
  public static String forCluster(String accountId, String region, String clusterName) {
    try {
      return Files.readString(file())
          .replace("ACCOUNT", accountId)
          .replace("REGION", region)
          .replace("CLUSTER", clusterName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The policy's statements, for this account, the tests' region and cluster. */
  public static List<JsonNode> statements(String accountId) {
    try {
      var statements = new ArrayList<JsonNode>();
      JSON.readTree(forAccount(accountId)).path("Statement").forEach(statements::add);
      return statements;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same policy as moto can evaluate it: without conditions (moto supplies no {@code
   * iam:PermissionsBoundary} value, and treats an unmet condition as an explicit deny), and with
   * the actions moto checks against {@code *} granted on {@code *} as well. Everything else,
   * actions and role-path resources, is unchanged.
   */
  public static String motoVariant(String accountId) {
    try {
      var policy = (ObjectNode) JSON.readTree(forAccount(accountId));
      var statements = new ArrayList<JsonNode>();
      for (var node : policy.withArray("Statement")) {
        var statement = ((ObjectNode) node).deepCopy();
        statement.remove("Condition");
        var actions = strings(statement.get("Action"));
        var onStar = actions.stream().filter(MOTO_AUTHORIZES_AGAINST_STAR::contains).toList();
        statements.add(statement);
        if (!onStar.isEmpty() && !"*".equals(statement.path("Resource").asText())) {
          var star = JSON.createObjectNode();
          star.put("Sid", statement.path("Sid").asText() + "OnStarForMoto");
          star.put("Effect", "Allow");
          onStar.forEach(star.withArray("Action")::add);
          star.put("Resource", "*");
          statements.add(star);
        }
      }
      ArrayNode array = JSON.createArrayNode().addAll(statements);
      policy.set("Statement", array);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every action the policy grants. */
  public static List<String> actions() {
    try {
      var actions = new ArrayList<String>();
      for (var statement : JSON.readTree(forAccount("123456789012")).path("Statement")) {
        actions.addAll(strings(statement.get("Action")));
      }
      return actions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@code Action} or {@code Resource}, a string or an array of them, as a list. */
  public static List<String> strings(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    var values = new ArrayList<String>();
    node.forEach(v -> values.add(v.asText()));
    return values;
  }
}
