package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inline policy exactly as it is sent: expansions and the operator's own conditions. */
class WrittenPolicyTest {

  private static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:payments_jobs";
  private static final String BUCKET_OBJECTS = "arn:aws:s3:::payments.data/*";
  private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1111-aaaa";

  @Test
  void aWildcardIsWrittenAsTheActionsItGrantsNeverAsTheWildcard() {
    var statements =
        written("iam: {statements: [{actions: ['SQS:*message'], resources: ['" + QUEUE + "']}]}");

    assertThat(statements).singleElement();
    assertThat(strings(statements.get(0), "Action"))
        .containsExactly("sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage");
  }

  @Test
  void denyStatementsKeepTheirWildcardSinceTheyOnlyTakeAway() {
    var statements =
        written("iam: {statements: [{effect: Deny, actions: ['sqs:Delete*'], resources: ['*']}]}");

    assertThat(strings(statements.get(0), "Action")).containsExactly("sqs:Delete*");
  }

  @Test
  void bucketsGetTheAccountConditionSinceTheirArnsNameNoAccount() {
    var statement =
        written(
                "iam: {statements: [{actions: [s3:GetObject], resources: ['"
                    + BUCKET_OBJECTS
                    + "']}]}")
            .get(0);

    assertThat(statement.at("/Condition/StringEquals/aws:ResourceAccount").toString())
        .contains("111122223333");
  }

  @Test
  void keysAreSplitOffWithViaServiceAndAnAliasOfTheNamespaceWhenNoPolicyListsThem() {
    var statements =
        written(
            """
            iam:
              statements:
              - sid: Work
                actions: [sqs:SendMessage, kms:Decrypt, kms:GenerateDataKey]
                resources: ['%s', '%s']
            """
                .formatted(QUEUE, KEY));

    assertThat(statements).hasSize(2);
    var work = statements.get(0);
    assertThat(work.get("Sid").asText()).isEqualTo("Work");
    assertThat(strings(work, "Action")).containsExactly("sqs:SendMessage");
    assertThat(strings(work, "Resource")).containsExactly(QUEUE);
    var keys = statements.get(1);
    assertThat(keys.get("Sid").asText()).isEqualTo("WorkKmsAlias");
    assertThat(strings(keys, "Action")).containsExactly("kms:Decrypt", "kms:GenerateDataKey");
    assertThat(strings(keys, "Resource")).containsExactly(KEY);
    assertThat(keys.at("/Condition/StringEquals/kms:ViaService").toString())
        .contains("sqs.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com");
    assertThat(keys.at("/Condition/ForAnyValue:StringLike/kms:ResourceAliases").toString())
        .contains("alias/payments/*");
  }

  @Test
  void aKeyEveryPolicyListsNeedsNoAliasButStillAService() {
    var listed = policy("keys", "secrets: {allowedKmsKeys: ['" + KEY + "']}");

    var keys =
        written(
                "iam: {statements: [{sid: K, actions: [kms:Decrypt], resources: ['" + KEY + "']}]}",
                listed)
            .get(0);

    assertThat(keys.get("Sid").asText()).isEqualTo("KKms");
    assertThat(keys.at("/Condition/StringEquals/kms:ViaService").isMissingNode()).isFalse();
    assertThat(keys.at("/Condition/ForAnyValue:StringLike").isMissingNode()).isTrue();
  }

  @Test
  void aSharedBucketIsListedOnlyUnderTheNamespacesPrefixInAStatementOfItsOwn() {
    var shared =
        policy(
            "shared", "iam: {allowedResources: ['arn:${partition}:s3:::shared/${namespace}/*']}");

    var statements =
        written(
            """
            iam:
              statements:
              - actions: [s3:GetObject, s3:ListBucket]
                resources: ['arn:aws:s3:::shared', 'arn:aws:s3:::shared/payments/*']
            """,
            shared);

    assertThat(statements).hasSize(2);
    assertThat(strings(statements.get(0), "Resource"))
        .containsExactly("arn:aws:s3:::shared/payments/*");
    assertThat(statements.get(0).at("/Condition/StringLike").isMissingNode()).isTrue();
    var listing = statements.get(1);
    assertThat(strings(listing, "Action")).containsExactly("s3:ListBucket");
    assertThat(strings(listing, "Resource")).containsExactly("arn:aws:s3:::shared");
    assertThat(listing.at("/Condition/StringLike/s3:prefix").toString())
        .contains("payments/")
        .contains("payments/*");
    assertThat(listing.at("/Condition/StringEquals/aws:ResourceAccount").isMissingNode()).isFalse();
  }

  @Test
  void theTenantsOwnConditionsStayOnEveryStatementWrittenForItsStatement() {
    var statements =
        written(
            """
            iam:
              statements:
              - actions: [sqs:SendMessage, kms:Decrypt]
                resources: ['%s', '%s']
                conditions: {Bool: {"aws:SecureTransport": ["true"]}}
            """
                .formatted(QUEUE, KEY));

    assertThat(statements)
        .allSatisfy(
            s -> assertThat(s.at("/Condition/Bool/aws:SecureTransport").isMissingNode()).isFalse());
  }

  @Test
  void secretAccessComesAfterTheStatementsAndUnlistedKeysGoThroughTheNamespacesAlias() {
    var statements =
        written(
            """
            secrets:
              objects: [{name: payments/db, type: secretsmanager}]
              kmsKeyArns: ['%s']
            """
                .formatted(KEY));

    assertThat(statements)
        .extracting(s -> s.get("Sid").asText())
        .containsExactly("SecureWorkloadSecrets", "SecureWorkloadKmsDecryptByAlias");
  }

  private static List<JsonNode> written(
      String specYaml, io.secureworkload.operator.api.SecureWorkloadPolicy... policies) {
    var document =
        WrittenPolicy.inlinePolicy(
            TestWorkloads.withSpec(specYaml).getSpec(),
            Guardrails.effective(policies),
            Guardrails.context());
    var list = new ArrayList<JsonNode>();
    PolicyDocuments.normalise(document).get("Statement").forEach(list::add);
    // normalise sorts statements; give them back in the order written for readable tests
    var ordered = new ArrayList<JsonNode>();
    try {
      new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(document)
          .get("Statement")
          .forEach(ordered::add);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(ordered).hasSameSizeAs(list);
    return ordered;
  }

  private static List<String> strings(JsonNode statement, String key) {
    var node = statement.get(key);
    var values = new ArrayList<String>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }
}
