package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the guardrails decide and write for a fixed corpus of specs under a few sets of policies,
 * held to what was recorded in {@code recorded-decisions.txt}: work on how evaluation runs (its
 * cost above all) must not change a violation, a message, the narrowed spec or one character of the
 * document that is sent. Each line of the file is one group of cases and the digest of their
 * outcomes. A change meant to alter outcomes (a new action catalogue does too) records them again
 * with {@code -Drecord.decisions=true}; the file's diff then shows which groups moved.
 */
class RecordedDecisionsTest {

  private static final String RECORDED = "recorded-decisions.txt";
  private static final String ACCOUNT = Guardrails.ACCOUNT;
  private static final String OTHER = Guardrails.OTHER_ACCOUNT;

  private static final List<String> ACTIONS =
      List.of(
          "s3:GetObject",
          "s3:?etObject",
          "s3:Get*",
          "s3:ListBucket",
          "s3:*",
          "sqs:*Message",
          "dynamodb:*Item",
          "kinesis:PutRecord*",
          "logs:*LogEvents",
          "kms:Decrypt",
          "kms:*",
          "secretsmanager:GetSecretValue",
          "ssm:GetParameter*",
          "iam:PassRole",
          "iam:*",
          "*:Describe*",
          "ec2:RunInstances",
          "s3:GetObjekt");

  private static final List<String> RESOURCES =
      List.of(
          "arn:aws:s3:::payments.data/*",
          "arn:aws:s3:::payments.data",
          "arn:aws:s3:::shared",
          "arn:aws:s3:::shared/apps/payments/*",
          "arn:aws:s3:::other.data/*",
          "arn:aws:s3:::pay*",
          "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments_q",
          "arn:aws:sqs:eu-west-1:" + OTHER + ":payments_q",
          "arn:aws:sqs:eu-west-1:*:payments_q",
          "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/payments_t",
          "arn:aws:kinesis:eu-west-1:" + ACCOUNT + ":stream/payments_s",
          "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:payments/a:*",
          "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/*",
          "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/1111",
          "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/2222",
          "arn:aws:kms:eu-west-1:" + ACCOUNT + ":alias/payments/k",
          "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:payments/db-*",
          "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:other/db-*",
          "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/payments/url",
          "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":*",
          "arn:aws:*:eu-west-1:" + ACCOUNT + ":*",
          "arn:aws:iam::" + ACCOUNT + ":role/payments_r",
          "*",
          "not-an-arn",
          "arn:aws:s3:::${aws:username}/*");

  private static final String OPEN_PLATFORM =
      "iam: {allowedActions: ['s3:*', 'sqs:*', 'dynamodb:*', 'kms:*', 'kinesis:*', 'logs:*',"
          + " 'cloudwatch:*']}\n";

  private static final String RESOURCE_RULES =
      """
      iam:
        allowedActions: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:GetSecretValue',
          'ssm:GetParameter*', 'ec2:Describe*', 'iam:PassRole']
        deniedActions: ['s3:Delete*']
        wildcardResourceActions: ['s3:ListAllMyBuckets', 'ec2:Describe*']
        allowedResources: ['arn:${partition}:s3:::${namespace}.*',
          'arn:${partition}:s3:::shared/apps/${namespace}/*',
          'arn:${partition}:sqs:*:${account}:${namespace}_*',
          'arn:${partition}:iam::${account}:role/${namespace}_*']
        allowedAccounts: ['${account}', '%s']
        allowedManagedPolicyArns: ['arn:${partition}:iam::aws:policy/ReadOnlyAccess']
        maxSessionDurationSeconds: 7200
        allowRetain: true
        allowEscalationActions: ['iam:PassRole']
      secrets:
        allowedNames: ['${namespace}/*']
        allowedKmsKeys: ['arn:${partition}:kms:*:${account}:key/1111']
        allowSyncToSecrets: false
      network: {allowedCidrs: [10.0.0.0/16]}
      """
          .formatted(OTHER);

  /** Sets of policies governing the namespace; none leaves it to the built-in default. */
  private static final Map<String, List<SecureWorkloadPolicy>> POLICY_SETS = policySets();

  private static Map<String, List<SecureWorkloadPolicy>> policySets() {
    var sets = new LinkedHashMap<String, List<SecureWorkloadPolicy>>();
    sets.put("default", List.of());
    sets.put("platform", List.of(Guardrails.policy("platform", OPEN_PLATFORM)));
    sets.put("resources", List.of(Guardrails.policy("resources", RESOURCE_RULES)));
    sets.put("audit", List.of(Guardrails.policy("audit", "mode: Audit\n" + RESOURCE_RULES)));
    sets.put(
        "two-shared-buckets",
        List.of(
            Guardrails.policy(
                "apps",
                """
                iam:
                  allowedActions: ['s3:*', 'sqs:*', 'kms:*']
                  allowedResources: ['arn:${partition}:s3:::shared/apps/${namespace}/*',
                    'arn:${partition}:s3:::${namespace}.*']
                  permissionsBoundaryArn: 'arn:${partition}:iam::${account}:policy/boundary'
                """),
            Guardrails.policy(
                "teams",
                """
                iam:
                  allowedActions: ['s3:*', 'sqs:*', 'kms:*', 'dynamodb:*']
                  allowedResources: ['arn:${partition}:s3:::shared/teams/${namespace}/*',
                    'arn:${partition}:s3:::${namespace}.*',
                    'arn:${partition}:sqs:*:${account}:${namespace}_*']
                secrets: {allowedKmsKeys: ['arn:${partition}:kms:*:${account}:key/1111']}
                """)));
    sets.put(
        "strict-with-conflict",
        List.of(
            Guardrails.policy(
                "strict",
                """
                iam:
                  maxSessionDurationSeconds: 3600
                  allowRetain: false
                  permissionsBoundaryArn: 'arn:${partition}:iam::${account}:policy/strict'
                secrets: {allowSyncToSecrets: false}
                limits: {maxWorkloadsPerNamespace: 1}
                """),
            Guardrails.policy(
                "trial",
                """
                mode: Audit
                iam:
                  allowedActions: ['s3:Get*']
                  permissionsBoundaryArn: 'arn:${partition}:iam::${account}:policy/trial'
                """),
            Guardrails.policy(
                "other-boundary",
                "iam: {permissionsBoundaryArn: 'arn:${partition}:iam::${account}:policy/other'}\n")));
    return sets;
  }

  @Test
  void theDecisionsAndDocumentsAreTheRecordedOnes() throws IOException {
    var specs = corpus();
    var outcomes = new LinkedHashMap<String, String>();
    POLICY_SETS.forEach(
        (set, policies) -> {
          var effective = Guardrails.effective(policies.toArray(SecureWorkloadPolicy[]::new));
          specs.forEach(
              (group, workloads) -> {
                var outcome = new StringBuilder();
                workloads.forEach(workload -> outcome.append(outcome(workload, effective)));
                outcomes.put(set + " " + group, outcome.toString());
              });
        });
    var digests = new LinkedHashMap<String, String>();
    outcomes.forEach((group, outcome) -> digests.put(group, digest(outcome)));

    if (Boolean.getBoolean("record.decisions")) {
      var file =
          TestPaths.repoRoot()
              .resolve("operator/src/test/resources/io/secureworkload/operator/guardrail")
              .resolve(RECORDED);
      Files.writeString(
          file,
          digests.entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue() + "\n")
              .collect(Collectors.joining()));
      return;
    }
    var recorded = recorded();
    var moved = new LinkedHashMap<String, String>();
    digests.forEach(
        (group, digest) -> {
          if (!digest.equals(recorded.get(group))) {
            moved.put(group, outcomes.get(group));
          }
        });
    assertThat(digests.keySet()).as("the groups of cases").isEqualTo(recorded.keySet());
    if (!moved.isEmpty()) {
      var actual = TestPaths.buildDir().resolve("recorded-decisions-actual.txt");
      Files.writeString(
          actual,
          moved.entrySet().stream()
              .map(e -> "=== " + e.getKey() + "\n" + e.getValue())
              .collect(Collectors.joining()));
      assertThat(moved.keySet())
          .as(
              "groups whose outcomes differ from the recorded ones; %s holds them as they are now",
              actual)
          .isEmpty();
    }
  }

  /**
   * By group: each action alone on each resource, then on all of them in one statement; and specs
   * generated from the same actions and resources, with the rest of a spec's fields.
   */
  private static Map<String, List<SecureWorkload>> corpus() {
    var groups = new LinkedHashMap<String, List<SecureWorkload>>();
    for (var action : ACTIONS) {
      var workloads = new ArrayList<SecureWorkload>();
      for (var resource : RESOURCES) {
        workloads.add(TestWorkloads.withSpec(Guardrails.allow(resource, action)));
      }
      workloads.add(
          TestWorkloads.withSpec(
              "iam: {statements: [{sid: All, actions: ['"
                  + action
                  + "'], resources: "
                  + RESOURCES.stream().map(r -> "'" + r + "'").toList()
                  + "}]}"));
      groups.put(action, workloads);
    }
    // Every action of the catalogue, which makes the largest documents: a group of its own.
    groups.put(
        "every-action",
        List.of(
            TestWorkloads.withSpec(Guardrails.allow(RESOURCES.get(6), "*")),
            TestWorkloads.withSpec(
                "iam: {statements: [{actions: ['*', 's3:GetObject'], resources: ['"
                    + RESOURCES.get(0)
                    + "', '*']}]}")));
    var random = new Random(16);
    for (int group = 0; group < 6; group++) {
      var workloads = new ArrayList<SecureWorkload>();
      for (int k = 0; k < 10; k++) {
        int statements = k == 9 ? 50 : 1 + random.nextInt(6);
        workloads.add(TestWorkloads.withSpec(generatedSpec(random, statements)));
      }
      groups.put("generated-" + group, workloads);
    }
    return groups;
  }

  /**
   * Everything a decision hands on (violations, the document sent, the narrowed spec), and the
   * document the spec would get as it is, which puts every resource through the writer.
   */
  private static String outcome(SecureWorkload workload, EffectivePolicy policy) {
    var context = Guardrails.context();
    var verdict = GuardrailEvaluator.evaluate(workload, policy, context);
    var text = new StringBuilder("spec: ").append(Serialization.asJson(workload.getSpec()));
    text.append('\n');
    verdict
        .violations()
        .forEach(
            v -> text.append("violation ").append(v.mode()).append(' ').append(v).append('\n'));
    text.append("sent: ").append(verdict.inlinePolicy()).append('\n');
    if (verdict.blocks()) {
      var narrowed = verdict.narrowed();
      text.append("narrowed: ").append(Serialization.asJson(narrowed.spec())).append('\n');
      text.append("removed: ").append(narrowed.removed()).append('\n');
      text.append("unresolved: ").append(narrowed.unresolved()).append('\n');
    }
    text.append("written as it is: ")
        .append(WrittenPolicy.inlinePolicy(workload.getSpec(), policy, context))
        .append('\n');
    return text.append('\n').toString();
  }

  private static String generatedSpec(Random random, int statements) {
    var yaml = new StringBuilder("iam:\n  statements:\n");
    for (int s = 0; s < statements; s++) {
      yaml.append("  - actions: ").append(some(random, ACTIONS, 3)).append('\n');
      yaml.append("    resources: ").append(some(random, RESOURCES, 3)).append('\n');
      if (random.nextInt(3) == 0) {
        yaml.append("    sid: S").append(s).append('\n');
      }
      if (random.nextInt(8) == 0) {
        yaml.append("    effect: Deny\n");
      }
      switch (random.nextInt(6)) {
        case 0 -> yaml.append("    conditions: {Bool: {'aws:SecureTransport': ['true']}}\n");
        case 1 ->
            yaml.append(
                "    conditions: {StringEquals: {'aws:ResourceAccount': ['999988887777'],"
                    + " 'aws:PrincipalTag/team': [a, b]}}\n");
        default -> {}
      }
    }
    if (random.nextInt(5) == 0) {
      yaml.append(
          "  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess',"
              + " 'arn:aws:iam::aws:policy/AdministratorAccess']\n");
    }
    if (random.nextInt(5) == 0) {
      yaml.append("  maxSessionDurationSeconds: ")
          .append(List.of(7200, 43200, 100).get(random.nextInt(3)))
          .append('\n');
    }
    if (random.nextInt(6) == 0) {
      yaml.append("  deletionPolicy: Retain\n");
    }
    if (random.nextInt(3) == 0) {
      yaml.append(
          """
          secrets:
            objects:
            - {name: payments/db, type: secretsmanager, jmesPath: [{path: user, alias: dbuser}]}
            - {name: other/db, type: secretsmanager}
            - {name: /payments/url, type: ssmparameter}
            kmsKeyArns: ['arn:aws:kms:eu-west-1:%s:key/1111', 'arn:aws:kms:us-east-1:%s:key/2222']
          """
              .formatted(ACCOUNT, ACCOUNT));
      if (random.nextBoolean()) {
        yaml.append(
            "  syncToSecrets: [{secretName: db, type: Opaque, data: [{key: user, objectAlias:"
                + " dbuser}, {key: other, objectAlias: other/db}]}]\n");
      }
    }
    if (random.nextInt(4) == 0) {
      yaml.append(
          """
          network:
            ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/20}}, {ipBlock: {cidr: 10.1.0.0/20}}]}]
            egress: [{to: [{ipBlock: {cidr: %s}}]}]
          """
              .formatted(random.nextBoolean() ? "0.0.0.0/0" : "10.0.1.0/24"));
    }
    if (random.nextInt(6) == 0) {
      yaml.append("securityGroups: {groupIds: [sg-0a1b2c3d4e5f67890]}\n");
    }
    return yaml.toString();
  }

  private static String some(Random random, List<String> from, int most) {
    int count = 1 + random.nextInt(most);
    var picked = new ArrayList<String>();
    for (int i = 0; i < count; i++) {
      picked.add("'" + from.get(random.nextInt(from.size())) + "'");
    }
    return picked.toString();
  }

  private static String digest(String outcome) {
    try {
      var sha = MessageDigest.getInstance("SHA-256");
      var hash = sha.digest(outcome.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> recorded() throws IOException {
    var groups = new LinkedHashMap<String, String>();
    try (InputStream in = RecordedDecisionsTest.class.getResourceAsStream(RECORDED)) {
      assertThat(in).as(RECORDED + " on the test class path").isNotNull();
      for (var line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int space = line.lastIndexOf(' ');
        groups.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    return groups;
  }
}
