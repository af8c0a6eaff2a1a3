package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secureworkload.operator.api.PolicyStatement;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PROVIDER_ARN =
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";
  private static final String ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/ABC";

  @Test
  void trustPolicyLetsOnlyTheServiceAccountAssumeTheRoleWithTheStsAudience() {
    var policy = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");

    assertThat(json(policy))
        .isEqualTo(
            json(
                """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Effect": "Allow",
                      "Principal": {
                        "Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC"
                      },
                      "Action": "sts:AssumeRoleWithWebIdentity",
                      "Condition": {
                        "StringEquals": {
                          "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:payments:api",
                          "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"
                        }
                      }
                    }
                  ]
                }
                """));
  }

  @Test
  void trustPolicyNamesTheNamespaceAndServiceAccountInTheSubject() {
    var a = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");
    var b = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "worker");

    assertThat(PolicyDocuments.equivalent(a, b)).isFalse();
  }

  @Test
  void inlinePolicyIsNullWithoutStatements() {
    assertThat(PolicyDocuments.inlinePolicy(null, List.of())).isNull();
    assertThat(PolicyDocuments.inlinePolicy(List.of(), List.of())).isNull();
  }

  @Test
  void inlinePolicyWritesSidEffectActionsResourcesAndConditions() {
    var statement =
        new PolicyStatement(
            "ReadReports",
            PolicyStatement.Effect.Deny,
            List.of("s3:GetObject", "s3:ListBucket"),
            List.of("arn:aws:s3:::reports", "arn:aws:s3:::reports/*"),
            Map.of(
                "StringEquals",
                Map.of("aws:RequestedRegion", List.of("us-west-2", "eu-west-1")),
                "Bool",
                Map.of("aws:SecureTransport", List.of("true"))));

    assertThat(json(PolicyDocuments.inlinePolicy(List.of(statement), List.of())))
        .isEqualTo(
            json(
                """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Sid": "ReadReports",
                      "Effect": "Deny",
                      "Action": ["s3:GetObject", "s3:ListBucket"],
                      "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
                      "Condition": {
                        "Bool": {"aws:SecureTransport": "true"},
                        "StringEquals": {"aws:RequestedRegion": ["us-west-2", "eu-west-1"]}
                      }
                    }
                  ]
                }
                """));
  }

  @Test
  void inlinePolicyDefaultsEffectToAllowAndWritesASingleActionAsAScalar() {
    var statement =
        new PolicyStatement(
            null, null, List.of("sqs:SendMessage"), List.of("arn:aws:sqs:us-west-2:1:q"), null);

    assertThat(json(PolicyDocuments.inlinePolicy(List.of(statement), List.of())))
        .isEqualTo(
            json(
                """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Effect": "Allow",
                      "Action": "sqs:SendMessage",
                      "Resource": "arn:aws:sqs:us-west-2:1:q"
                    }
                  ]
                }
                """));
  }

  @Test
  void inlinePolicyKeepsTheStatementsInSpecOrder() {
    var first = new PolicyStatement("First", null, List.of("s3:GetObject"), List.of("*"), null);
    var second = new PolicyStatement("Second", null, List.of("s3:PutObject"), List.of("*"), null);

    var statements =
        json(PolicyDocuments.inlinePolicy(List.of(first, second), List.of())).get("Statement");

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0).get("Sid").asText()).isEqualTo("First");
    assertThat(statements.get(1).get("Sid").asText()).isEqualTo("Second");
  }

  @Test
  void inlinePolicyLeavesOutAnEmptyConditionBlock() {
    var statement =
        new PolicyStatement(null, null, List.of("s3:GetObject"), List.of("*"), Map.of());

    var written =
        json(PolicyDocuments.inlinePolicy(List.of(statement), List.of())).get("Statement").get(0);

    assertThat(written.has("Condition")).isFalse();
  }

  @Test
  void equivalentWhenIamReturnsUrlEncodedJsonInItsOwnOrder() {
    var ours = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");
    var iams =
        """
        {"Statement":[{"Condition":{"StringEquals":{
          "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud":"sts.amazonaws.com",
          "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub":"system:serviceaccount:payments:api"}},
          "Action":"sts:AssumeRoleWithWebIdentity",
          "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC"},
          "Effect":"Allow"}],"Version":"2012-10-17"}
        """;

    assertThat(PolicyDocuments.equivalent(ours, urlEncoded(iams))).isTrue();
  }

  @Test
  void decodeTurnsUrlEncodedJsonBackIntoJson() {
    var document = doc("{'Version':'2012-10-17','Statement':[]}");

    assertThat(PolicyDocuments.decode(urlEncoded(document))).isEqualTo(document);
    assertThat(PolicyDocuments.decode("  " + document + "\n")).isEqualTo(document);
  }

  @Test
  void equivalentWhenASingleValueIsAScalarOnOneSideAndAOneElementArrayOnTheOther() {
    var scalar = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
    var array = policy("{'Effect':'Allow','Action':['s3:GetObject'],'Resource':['*']}");

    assertThat(PolicyDocuments.equivalent(scalar, array)).isTrue();
  }

  @Test
  void equivalentWhateverTheOrderOfActionsAndResources() {
    var left =
        policy(
            "{'Effect':'Allow','Action':['s3:GetObject','s3:PutObject'],"
                + "'Resource':['arn:aws:s3:::a/*','arn:aws:s3:::b/*']}");
    var right =
        policy(
            "{'Effect':'Allow','Action':['s3:PutObject','s3:GetObject'],"
                + "'Resource':['arn:aws:s3:::b/*','arn:aws:s3:::a/*']}");

    assertThat(PolicyDocuments.equivalent(left, right)).isTrue();
  }

  @Test
  void equivalentWhateverTheOrderOfStatements() {
    var read = "{'Sid':'Read','Effect':'Allow','Action':'s3:GetObject','Resource':'*'}";
    var write = "{'Sid':'Write','Effect':'Allow','Action':'s3:PutObject','Resource':'*'}";

    assertThat(PolicyDocuments.equivalent(policy(read, write), policy(write, read))).isTrue();
  }

  @Test
  void equivalentWhenIamReturnsASingleStatementAsAnObject() {
    var statement = "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}";
    var asObject = doc("{'Version':'2012-10-17','Statement':" + statement + "}");

    assertThat(PolicyDocuments.equivalent(policy(statement), asObject)).isTrue();
  }

  @Test
  void equivalentWhateverTheOrderOfPrincipalValues() {
    var left =
        policy(
            "{'Effect':'Allow','Action':'sts:AssumeRole',"
                + "'Principal':{'AWS':['arn:aws:iam::1:root','arn:aws:iam::2:root']}}");
    var right =
        policy(
            "{'Effect':'Allow','Action':'sts:AssumeRole',"
                + "'Principal':{'AWS':['arn:aws:iam::2:root','arn:aws:iam::1:root']}}");

    assertThat(PolicyDocuments.equivalent(left, right)).isTrue();
  }

  @Test
  void equivalentWhateverTheOrderOfConditionValues() {
    var left =
        policy(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:RequestedRegion':['us-west-2','eu-west-1']}}}");
    var right =
        policy(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:RequestedRegion':['eu-west-1','us-west-2']}}}");

    assertThat(PolicyDocuments.equivalent(left, right)).isTrue();
  }

  @Test
  void equivalentWhenAConditionValueIsAScalarOnOneSide() {
    var left =
        policy(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
                + "'Condition':{'Bool':{'aws:SecureTransport':'true'}}}");
    var right =
        policy(
            "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*',"
                + "'Condition':{'Bool':{'aws:SecureTransport':['true']}}}");

    assertThat(PolicyDocuments.equivalent(left, right)).isTrue();
  }

  @Test
  void equivalentDespiteDuplicateValues() {
    var left =
        policy(
            "{'Effect':'Allow','Action':['s3:GetObject','s3:GetObject'],"
                + "'Resource':['*','*']}");
    var right = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isTrue();
  }

  @Test
  void equivalentToItsOwnPrettyPrintedForm() throws Exception {
    var ours = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");

    var pretty = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ours).toPrettyString();

    assertThat(pretty).contains("\n");
    assertThat(PolicyDocuments.equivalent(ours, pretty)).isTrue();
  }

  @Test
  void normaliseGivesTheSameTreeForEverySpellingOfOneDocument() {
    var plain =
        policy("{'Effect':'Allow','Action':['s3:PutObject','s3:GetObject'],'Resource':'*'}");
    var reordered =
        policy("{'Resource':['*'],'Action':['s3:GetObject','s3:PutObject'],'Effect':'Allow'}");

    JsonNode canonical = PolicyDocuments.normalise(plain);

    assertThat(PolicyDocuments.normalise(urlEncoded(reordered))).isEqualTo(canonical);
    assertThat(canonical.get("Statement").get(0).get("Action"))
        .isEqualTo(json("['s3:GetObject','s3:PutObject']"));
  }

  @Test
  void notEquivalentWhenAnActionDiffers() {
    var left = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
    var right = policy("{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenAnActionIsAdded() {
    var left = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
    var right =
        policy("{'Effect':'Allow','Action':['s3:GetObject','s3:DeleteObject'],'Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenTheEffectDiffers() {
    var left = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
    var right = policy("{'Effect':'Deny','Action':'s3:GetObject','Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenAResourceDiffers() {
    var left = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::a/*'}");
    var right = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenAConditionValueDiffers() {
    var left = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");
    var right =
        PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api")
            .replace("sts.amazonaws.com", "sts.example.com");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenAStatementIsAdded() {
    var read = "{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}";
    var write = "{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}";

    assertThat(PolicyDocuments.equivalent(policy(read), policy(read, write))).isFalse();
  }

  @Test
  void notEquivalentWhenTheSidChanges() {
    var left = policy("{'Sid':'Read','Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");
    var right = policy("{'Sid':'ReadAll','Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void notEquivalentWhenTheFederatedPrincipalDiffers() {
    var left = PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "api");
    var right =
        PolicyDocuments.trustPolicy(
            PROVIDER_ARN.replace("123456789012", "210987654321"), ISSUER, "payments", "api");

    assertThat(PolicyDocuments.equivalent(left, right)).isFalse();
  }

  @Test
  void nullIsEquivalentOnlyToNull() {
    var document = policy("{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}");

    assertThat(PolicyDocuments.equivalent(null, null)).isTrue();
    assertThat(PolicyDocuments.equivalent(document, null)).isFalse();
    assertThat(PolicyDocuments.equivalent(null, document)).isFalse();
  }

  @Test
  void normaliseRejectsTextThatIsNotJson() {
    assertThatThrownBy(() -> PolicyDocuments.normalise("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a JSON policy document");
  }

  private static String policy(String... statements) {
    return doc("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}");
  }

  private static String doc(String singleQuotedJson) {
    return singleQuotedJson.replace('\'', '"');
  }

  private static String urlEncoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(doc(text));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
