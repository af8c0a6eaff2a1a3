package io.secureworkload.operator.iam;

import static io.secureworkload.operator.testsupport.TestSettings.inRegion;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secureworkload.operator.api.SecretsSpec;
import io.secureworkload.operator.testsupport.TestRoles;
import io.secureworkload.operator.testsupport.TestServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretAccessTest {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-west-2";
  private static final String KEY_A = "arn:aws:kms:us-west-2:123456789012:key/1111-aaaa";
  private static final String KEY_B = "arn:aws:kms:us-west-2:123456789012:key/2222-bbbb";

  /** Every key listed by the guardrails, unless a test says otherwise. */
  private static final java.util.function.Predicate<String> LISTED = key -> true;

  private static final String ALIAS = "alias/payments/*";

  @Test
  void secretNameGrantsItsArnWithTheSixCharacterSuffixWildcard() {
    var statements = statements(secrets("- {name: db, type: secretsmanager}"));

    assertThat(statements).hasSize(1);
    assertThat(statements.get(0).get("Sid").asText()).isEqualTo(SecretAccess.SECRETS_SID);
    assertThat(statements.get(0).get("Effect").asText()).isEqualTo("Allow");
    assertThat(values(statements.get(0), "Resource"))
        .containsExactly("arn:aws:secretsmanager:us-west-2:123456789012:secret:db-??????");
  }

  @Test
  void secretNameWithAPathKeepsThePath() {
    var statements = statements(secrets("- {name: prod/payments/db, type: secretsmanager}"));

    assertThat(values(statements.get(0), "Resource"))
        .containsExactly(
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/payments/db-??????");
  }

  @Test
  void secretFullArnIsKeptAsIs() {
    var arn = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf";
    var statements =
        statements(secrets("- {name: '" + arn + "', type: secretsmanager, alias: db}"));

    assertThat(values(statements.get(0), "Resource")).containsExactly(arn);
  }

  @Test
  void secretsManagerActionsAreExactlyGetSecretValueAndDescribeSecret() {
    var statements = statements(secrets("- {name: db, type: secretsmanager}"));

    assertThat(values(statements.get(0), "Action"))
        .containsExactly("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
  }

  @Test
  void parameterNameWithOrWithoutLeadingSlashGrantsTheSameParameterArn() {
    var withSlash = statements(secrets("- {name: /payments/db-url, type: ssmparameter}"));
    var withoutSlash = statements(secrets("- {name: payments/db-url, type: ssmparameter}"));

    var expected = "arn:aws:ssm:us-west-2:123456789012:parameter/payments/db-url";
    assertThat(values(withSlash.get(0), "Resource")).containsExactly(expected);
    assertThat(values(withoutSlash.get(0), "Resource")).containsExactly(expected);
  }

  @Test
  void parameterOfASingleNameGrantsItsArn() {
    var statements = statements(secrets("- {name: db-url, type: ssmparameter}"));

    assertThat(values(statements.get(0), "Resource"))
        .containsExactly("arn:aws:ssm:us-west-2:123456789012:parameter/db-url");
  }

  @Test
  void parameterFullArnIsKeptAsIs() {
    var arn = "arn:aws:ssm:eu-west-1:210987654321:parameter/shared/db-url";
    var statements = statements(secrets("- {name: '" + arn + "', type: ssmparameter, alias: u}"));

    assertThat(values(statements.get(0), "Resource")).containsExactly(arn);
  }

  @Test
  void ssmActionIsExactlyGetParameters() {
    var statements = statements(secrets("- {name: db-url, type: ssmparameter}"));

    assertThat(statements).hasSize(1);
    assertThat(statements.get(0).get("Sid").asText()).isEqualTo(SecretAccess.PARAMETERS_SID);
    assertThat(values(statements.get(0), "Action")).containsExactly("ssm:GetParameters");
  }

  @Test
  void secretsAndParametersGetOneStatementEachWithAllTheirArns() {
    var statements =
        statements(
            secrets(
                """
                - {name: db, type: secretsmanager}
                - {name: api-key, type: secretsmanager}
                - {name: /app/url, type: ssmparameter}
                - {name: /app/port, type: ssmparameter}
                """));

    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(SecretAccess.SECRETS_SID, SecretAccess.PARAMETERS_SID);
    assertThat(values(statements.get(0), "Resource"))
        .containsExactly(
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-??????",
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:api-key-??????");
    assertThat(values(statements.get(1), "Resource"))
        .containsExactly(
            "arn:aws:ssm:us-west-2:123456789012:parameter/app/url",
            "arn:aws:ssm:us-west-2:123456789012:parameter/app/port");
  }

  @Test
  void regionOfTheSpecOverridesTheOperatorsRegion() {
    var spec =
        secrets(
            """
            - {name: db, type: secretsmanager}
            - {name: /app/url, type: ssmparameter}
            """,
            "region: eu-central-1\nkmsKeyArns: ['" + KEY_A + "']\n");

    var statements = statements(spec);

    assertThat(values(statements.get(0), "Resource"))
        .containsExactly("arn:aws:secretsmanager:eu-central-1:123456789012:secret:db-??????");
    assertThat(values(statements.get(1), "Resource"))
        .containsExactly("arn:aws:ssm:eu-central-1:123456789012:parameter/app/url");
    assertThat(viaServices(statements.get(2)))
        .containsExactly(
            "secretsmanager.eu-central-1.amazonaws.com", "ssm.eu-central-1.amazonaws.com");
  }

  @Test
  void kmsDecryptIsGrantedOnExactlyTheNamedKeysThroughSecretsManagerAndSsmOnly() {
    var spec =
        secrets(
            "- {name: db, type: secretsmanager}\n",
            "kmsKeyArns: ['" + KEY_A + "', '" + KEY_B + "']\n");

    var statements = statements(spec);

    assertThat(statements).hasSize(2);
    var kms = statements.get(1);
    assertThat(kms.get("Sid").asText()).isEqualTo(SecretAccess.KMS_SID);
    assertThat(kms.get("Effect").asText()).isEqualTo("Allow");
    assertThat(values(kms, "Action")).containsExactly("kms:Decrypt");
    assertThat(values(kms, "Resource")).containsExactly(KEY_A, KEY_B);
    assertThat(kms.get("Condition").fieldNames()).toIterable().containsExactly("StringEquals");
    assertThat(kms.get("Condition").get("StringEquals").fieldNames())
        .toIterable()
        .containsExactly("kms:ViaService");
    assertThat(viaServices(kms))
        .containsExactly("secretsmanager.us-west-2.amazonaws.com", "ssm.us-west-2.amazonaws.com");
  }

  @Test
  void aKeyTheGuardrailsDoNotListIsReachedOnlyThroughAnAliasOfTheNamespace() {
    var statements =
        SecretAccess.statements(
            secrets(
                "- {name: db, type: secretsmanager}\n",
                "kmsKeyArns: ['" + KEY_A + "', '" + KEY_B + "']\n"),
            "aws",
            REGION,
            ACCOUNT,
            KEY_A::equals,
            ALIAS);

    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(
            SecretAccess.SECRETS_SID, SecretAccess.KMS_SID, SecretAccess.KMS_ALIAS_SID);
    assertThat(values(statements.get(1), "Resource")).containsExactly(KEY_A);
    var byAlias = statements.get(2);
    assertThat(values(byAlias, "Resource")).containsExactly(KEY_B);
    assertThat(viaServices(byAlias)).isNotEmpty();
    assertThat(
            byAlias
                .get("Condition")
                .get("ForAnyValue:StringLike")
                .get("kms:ResourceAliases")
                .asText())
        .isEqualTo(ALIAS);
  }

  @Test
  void noKmsStatementWithoutKmsKeys() {
    var statements =
        statements(secrets("- {name: db, type: secretsmanager}\n", "kmsKeyArns: []\n"));

    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(SecretAccess.SECRETS_SID);
    assertThat(statements(secrets("- {name: db, type: secretsmanager}")))
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(SecretAccess.SECRETS_SID);
  }

  @Test
  void noStatementsWithoutSecrets() {
    assertThat(SecretAccess.statements(null, "aws", REGION, ACCOUNT, LISTED, ALIAS)).isEmpty();
    assertThat(SecretAccess.statements(new SecretsSpec(), "aws", REGION, ACCOUNT, LISTED, ALIAS))
        .isEmpty();

    var noObjects = new SecretsSpec();
    noObjects.setObjects(List.of());
    noObjects.setKmsKeyArns(List.of(KEY_A));
    assertThat(SecretAccess.statements(noObjects, "aws", REGION, ACCOUNT, LISTED, ALIAS)).isEmpty();
  }

  @Test
  void onlyParametersGiveNoSecretsManagerStatement() {
    var statements = statements(secrets("- {name: db-url, type: ssmparameter}"));

    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(SecretAccess.PARAMETERS_SID);
  }

  @Test
  void removingAnObjectRemovesItsArn() {
    var before =
        statements(
            secrets(
                """
                - {name: db, type: secretsmanager}
                - {name: old-db, type: secretsmanager}
                - {name: /app/url, type: ssmparameter}
                """));
    var after = statements(secrets("- {name: db, type: secretsmanager}"));

    assertThat(allResources(before))
        .contains(
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:old-db-??????",
            "arn:aws:ssm:us-west-2:123456789012:parameter/app/url");
    assertThat(allResources(after))
        .containsExactly("arn:aws:secretsmanager:us-west-2:123456789012:secret:db-??????");
  }

  @Test
  void chinaPartitionAppearsInEveryDerivedArn() {
    var statements =
        SecretAccess.statements(
            secrets(
                """
                - {name: db, type: secretsmanager}
                - {name: /app/url, type: ssmparameter}
                """),
            "aws-cn",
            "cn-north-1",
            ACCOUNT,
            LISTED,
            ALIAS);

    assertThat(allResources(statements))
        .containsExactly(
            "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-??????",
            "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/app/url");
  }

  @Test
  void workloadRoleMergesSecretAccessAfterTheSpecsStatements() {
    var workload =
        withSpec(
            """
            iam:
              statements:
                - sid: ReadReports
                  actions: [s3:GetObject]
                  resources: ["arn:aws:s3:::reports/*"]
            secrets:
              objects:
                - {name: db, type: secretsmanager}
                - {name: /app/url, type: ssmparameter}
            """);

    var policy =
        new TestRoles(inRegion(REGION), ACCOUNT)
            .desired(workload, TestServices.NAMESPACE_UID, null)
            .inlinePolicy();

    var statements = parse(policy).get("Statement");
    assertThat(statements).hasSize(3);
    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly("ReadReports", SecretAccess.SECRETS_SID, SecretAccess.PARAMETERS_SID);
    assertThat(
            PolicyDocuments.equivalent(
                policy,
                """
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::reports/*",
                   "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}},
                  {"Sid": "SecureWorkloadSecrets", "Effect": "Allow",
                   "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                   "Resource": "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-??????"},
                  {"Sid": "SecureWorkloadParameters", "Effect": "Allow",
                   "Action": "ssm:GetParameters",
                   "Resource": "arn:aws:ssm:us-west-2:123456789012:parameter/app/url"}
                ]}
                """))
        .isTrue();
  }

  @Test
  void workloadRoleHasAnInlinePolicyForSecretsAlone() {
    var workload =
        withSpec(
            """
            secrets:
              objects:
                - {name: db, type: secretsmanager}
            """);

    var policy =
        new TestRoles(inRegion(REGION), ACCOUNT)
            .desired(workload, TestServices.NAMESPACE_UID, null)
            .inlinePolicy();

    assertThat(policy).isNotNull();
    assertThat(parse(policy).get("Statement"))
        .extracting(s -> s.get("Sid").asText())
        .containsExactly(SecretAccess.SECRETS_SID);
  }

  @Test
  void workloadRoleUsesTheOperatorsRegionAndPartitionForSecrets() {
    var workload =
        withSpec(
            """
            secrets:
              objects:
                - {name: db, type: secretsmanager}
            """);

    var policy =
        new TestRoles(inRegion("cn-north-1"), ACCOUNT)
            .desired(workload, TestServices.NAMESPACE_UID, null)
            .inlinePolicy();

    assertThat(policy)
        .contains("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-??????");
  }

  @Test
  void workloadRoleDropsTheSecretStatementsWhenSecretsAreRemoved() {
    var withSecrets =
        withSpec(
            """
            secrets:
              objects:
                - {name: db, type: secretsmanager}
            """);
    var role = new TestRoles(inRegion(REGION), ACCOUNT);

    assertThat(role.desired(withSecrets, TestServices.NAMESPACE_UID, null).inlinePolicy())
        .isNotNull();
    assertThat(role.desired(minimal(), TestServices.NAMESPACE_UID, null).inlinePolicy()).isNull();
  }

  private static List<ObjectNode> statements(SecretsSpec secrets) {
    return SecretAccess.statements(secrets, "aws", REGION, ACCOUNT, LISTED, ALIAS);
  }

  private static SecretsSpec secrets(String objects) {
    return secrets(objects, "");
  }

  /** A secrets spec from YAML: the objects list, and further fields of spec.secrets. */
  private static SecretsSpec secrets(String objects, String more) {
    return withSpec("secrets:\n" + more.indent(2) + "  objects:\n" + objects.indent(4))
        .getSpec()
        .getSecrets();
  }

  /** A statement's value for the key as a list, whether IAM-style scalar or array. */
  private static List<String> values(JsonNode statement, String key) {
    var node = statement.get(key);
    var values = new ArrayList<String>();
    if (node.isArray()) {
      node.forEach(value -> values.add(value.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  private static List<String> viaServices(JsonNode kmsStatement) {
    var node = kmsStatement.get("Condition").get("StringEquals");
    return values(node, "kms:ViaService");
  }

  private static List<String> allResources(List<ObjectNode> statements) {
    return statements.stream()
        .filter(s -> !SecretAccess.KMS_SID.equals(s.get("Sid").asText()))
        .flatMap(s -> values(s, "Resource").stream())
        .toList();
  }

  private static JsonNode parse(String document) {
    try {
      return new ObjectMapper().readTree(document);
    } catch (Exception e) {
      throw new AssertionError("Not JSON: " + document, e);
    }
  }
}
