package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Generated specs and policies, and the document the operator would actually send for each, against
 * a brute-force oracle written apart from the engine: it reads the catalogue file itself, matches
 * with regular expressions, and tries every ARN of a fixed universe of many tenants' resources. The
 * document never grants an action or a resource outside what every governing policy allows, and is
 * within IAM's size limit.
 */
class GuardrailPropertyTest {

  private static final int TRIALS = 2000;
  private static final String ACCOUNT = Guardrails.ACCOUNT;
  private static final String NS = "payments";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Actions and resources of one service, so that statements are mostly coherent. */
  private record Service(List<String> actions, List<String> resources) {}

  private static final List<Service> SERVICES =
      List.of(
          new Service(
              List.of(
                  "s3:GetObject",
                  "S3:getobject",
                  "s3:PutObject",
                  "s3:ListBucket",
                  "s3:Get*",
                  "s3:*Object",
                  "s3:Put*",
                  "s3:ListAllMyBuckets",
                  "s3:DeleteBucket",
                  "s3:PutBucketPolicy",
                  "s3:GetObjekt"),
              List.of(
                  "arn:aws:s3:::payments.data/*",
                  "arn:aws:s3:::payments.*",
                  "arn:aws:s3:::payments.data",
                  "arn:aws:s3:::shared",
                  "arn:aws:s3:::shared/payments/*",
                  "arn:aws:s3:::payments-x.data/*",
                  "arn:aws:s3:::paymentsx.data/*",
                  "arn:aws:s3:::pay*",
                  "arn:aws:s3:::*",
                  "arn:aws:s3:::shared/other/*",
                  "*")),
          new Service(
              List.of("sqs:*Message", "sqs:SendMessage", "sqs:*", "sqs:SetQueueAttributes"),
              List.of(
                  "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments_q",
                  "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments_*",
                  "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments-x_q",
                  "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":orders",
                  "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":*",
                  "arn:aws:sqs:eu-west-1:444455556666:payments_q")),
          new Service(
              List.of("dynamodb:?etItem", "dynamodb:Query", "dynamodb:DeleteTable"),
              List.of(
                  "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/payments_t",
                  "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/payments_t/index/*",
                  "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/other_t")),
          new Service(
              List.of(
                  "secretsmanager:GetSecretValue",
                  "secretsmanager:*",
                  "ssm:GetParameter",
                  "ssm:Get*"),
              List.of(
                  "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:payments/db-*",
                  "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:other/db-*",
                  "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:*",
                  "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/payments/url",
                  "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/other/url",
                  "arn:aws:*:eu-west-1:" + ACCOUNT + ":*")),
          new Service(
              List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:*", "kms:CreateGrant"),
              List.of(
                  "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/*",
                  "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/1111",
                  "arn:aws:kms:eu-west-1:" + ACCOUNT + ":alias/other/k")),
          new Service(
              List.of(
                  "logs:PutLogEvents",
                  "cloudwatch:PutMetricData",
                  "*:Put*",
                  "*",
                  "eks:CreateAccessEntry",
                  "iam:PassRole",
                  "ec2:RunInstances",
                  "ec2:Describe*"),
              List.of(
                  "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:payments/app:*",
                  "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:other/app:*",
                  "*")));

  /** Concrete resources of many tenants: what a document's patterns are tried against. */
  private static final List<String> UNIVERSE =
      List.of(
          "arn:aws:s3:::payments.data",
          "arn:aws:s3:::payments.data/k",
          "arn:aws:s3:::payments-x.data/k",
          "arn:aws:s3:::paymentsx.data/k",
          "arn:aws:s3:::pay.data/k",
          "arn:aws:s3:::other.data/k",
          "arn:aws:s3:::shared",
          "arn:aws:s3:::shared/payments/k",
          "arn:aws:s3:::shared/other/k",
          "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments_q",
          "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":payments-x_q",
          "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":orders",
          "arn:aws:sqs:eu-west-1:444455556666:payments_q",
          "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/payments_t",
          "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/payments_t/index/i",
          "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/other_t",
          "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:payments/db-AbCdEf",
          "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:other/db-AbCdEf",
          "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/payments/url",
          "arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/other/url",
          "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/1111",
          "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/2222",
          "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:payments/app:log-stream:s",
          "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:other/app:log-stream:s");

  /** Platform allow-list entries; the flag says whether a safe engine must apply it. */
  private static final Map<String, Boolean> RESOURCE_PATTERNS =
      Map.of(
          "arn:${partition}:s3:::${namespace}.*", true,
          "arn:${partition}:s3:::${namespace}-*", false,
          "arn:${partition}:s3:::shared/${namespace}/*", true,
          "arn:${partition}:s3:::*/${namespace}/*", false,
          "arn:${partition}:sqs:*:${account}:${namespace}_*", true,
          "arn:${partition}:sqs:*:${account}:orders", true,
          "arn:${partition}:sqs:*:${account}:${namespace}*", false,
          "arn:${partition}:dynamodb:*:${account}:table/${namespace}_*", true);

  private static final List<String> POLICY_ACTIONS =
      List.of(
          "s3:*",
          "s3:Get*",
          "sqs:*",
          "sqs:SendMessage",
          "dynamodb:*",
          "kms:Decrypt",
          "*",
          "ec2:Describe*",
          "s3:ListBucket",
          "secretsmanager:GetSecretValue",
          "eks:*");

  private final Oracle oracle = new Oracle();

  @Test
  void theDocumentSentNeverGrantsMoreThanEveryGoverningPolicyAllows() throws IOException {
    var random = new Random(16);
    int written = 0;
    int refused = 0;
    int empty = 0;
    var unresolved = new java.util.TreeMap<Rule, Integer>();
    for (int trial = 0; trial < TRIALS; trial++) {
      var policies = randomPolicies(random);
      var effective = EffectivePolicy.combine(policies, DefaultGuardrails.policy());
      var yaml = randomSpec(random);
      var workload = TestWorkloads.withSpec(yaml);
      var spec = workload.getSpec();
      var verdict = GuardrailEvaluator.evaluate(workload, effective, Guardrails.context());
      var sent = spec;
      if (verdict.blocks()) {
        var narrowed = verdict.narrowed();
        if (!narrowed.unresolved().isEmpty()) {
          narrowed.unresolved().forEach(v -> unresolved.merge(v.rule(), 1, Integer::sum));
          refused++;
          continue;
        }
        sent = narrowed.spec();
      }
      var document = WrittenPolicy.inlinePolicy(sent, effective, Guardrails.context());
      if (document == null) {
        empty++;
        continue;
      }
      written++;
      var context =
          "trial "
              + trial
              + "\nspec:\n"
              + yaml
              + "\npolicies: "
              + policies.stream().map(Serialization::asYaml).toList()
              + "\nsent: "
              + document;
      oracle.check(JSON.readTree(document), policies, context);
    }
    assertThat(written)
        .as("documents written; unresolved: %s, refused %d, empty %d", unresolved, refused, empty)
        .isGreaterThan(TRIALS / 5);
    assertThat(refused).as("left unchanged by an unresolved violation").isLessThan(TRIALS);
  }

  private static String randomSpec(Random random) {
    var yaml = new StringBuilder("iam:\n  statements:\n");
    int statements = 1 + random.nextInt(4);
    for (int i = 0; i < statements; i++) {
      var service = SERVICES.get(random.nextInt(SERVICES.size()));
      var stray = SERVICES.get(random.nextInt(SERVICES.size()));
      yaml.append("  - actions: ")
          .append(quoted(pick(random, service.actions(), stray.actions(), 1 + random.nextInt(2))));
      yaml.append("\n    resources: ")
          .append(
              quoted(pick(random, service.resources(), stray.resources(), 1 + random.nextInt(2))));
      if (random.nextInt(8) == 0) {
        yaml.append("\n    conditions: {Bool: {\"aws:SecureTransport\": [\"true\"]}}");
      }
      yaml.append('\n');
    }
    if (random.nextInt(3) == 0) {
      yaml.append(
          random.nextBoolean()
              ? "secrets: {objects: [{name: payments/db, type: secretsmanager}],"
                  + " kmsKeyArns: ['arn:aws:kms:eu-west-1:"
                  + ACCOUNT
                  + ":key/1111']}\n"
              : "secrets: {objects: [{name: other/db, type: secretsmanager}]}\n");
    }
    return yaml.toString();
  }

  private static List<SecureWorkloadPolicy> randomPolicies(Random random) {
    int count = random.nextInt(3);
    var policies = new ArrayList<SecureWorkloadPolicy>();
    for (int p = 0; p < count; p++) {
      var iam = new StringBuilder("iam:\n");
      if (random.nextBoolean()) {
        iam.append("  allowedActions: ")
            .append(quoted(pick(random, POLICY_ACTIONS, 1 + random.nextInt(4))))
            .append('\n');
      }
      if (random.nextInt(3) == 0) {
        iam.append("  deniedActions: ")
            .append(quoted(pick(random, POLICY_ACTIONS, 1)))
            .append('\n');
      }
      if (random.nextBoolean()) {
        var patterns = new ArrayList<>(RESOURCE_PATTERNS.keySet());
        patterns.sort(null);
        iam.append("  allowedResources: ")
            .append(quoted(pick(random, patterns, 1 + random.nextInt(4))))
            .append('\n');
      }
      if (random.nextInt(4) == 0) {
        iam.append("  wildcardResourceActions: ['s3:ListBucket']\n");
      }
      var secrets =
          random.nextInt(3) == 0
              ? "secrets: {allowedKmsKeys: ['arn:${partition}:kms:*:${account}:key/1111']}\n"
              : "";
      policies.add(Guardrails.policy("p" + p, iam + secrets));
    }
    return policies;
  }

  /** Mostly from the likely ones, an eighth of the time from the others. */
  private static List<String> pick(
      Random random, List<String> likely, List<String> others, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> random.nextInt(8) == 0 ? others : likely)
        .map(from -> from.get(random.nextInt(from.size())))
        .distinct()
        .toList();
  }

  private static List<String> pick(Random random, List<String> from, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> from.get(random.nextInt(from.size())))
        .distinct()
        .toList();
  }

  private static String quoted(List<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ", "[", "]"));
  }

  /** What may be granted, decided without the engine's classes. */
  private static final class Oracle {

    private final Map<String, String> levels = new HashMap<>();
    private final Set<String> withoutResources = new HashSet<>();
    private final Set<String> floor = new HashSet<>();

    Oracle() {
      String service = null;
      try {
        for (var line :
            Files.readAllLines(
                TestPaths.repoRoot()
                    .resolve(
                        "operator/src/main/resources/io/secureworkload/operator/guardrail/aws-action-catalogue.txt"))) {
          var fields = line.split("\t", -1);
          if (fields[0].equals("S")) {
            service = fields[1];
          } else if (fields[0].equals("A")) {
            var name = (service + ":" + fields[1]).toLowerCase(Locale.ROOT);
            levels.put(name, fields[2]);
            if (fields.length < 4 || fields[3].isEmpty()) {
              withoutResources.add(name);
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      levels.forEach(
          (name, level) -> {
            if (level.equals("P")) {
              floor.add(name);
            }
          });
      for (var entry : DefaultGuardrails.escalationFloor()) {
        var regex = actionRegex(entry);
        levels.keySet().stream().filter(n -> regex.matcher(n).matches()).forEach(floor::add);
      }
    }

    void check(JsonNode document, List<SecureWorkloadPolicy> policies, String context) {
      var governing = policies.isEmpty() ? List.of(DefaultGuardrails.policy()) : policies;
      int counted =
          (int) document.toString().codePoints().filter(c -> !Character.isWhitespace(c)).count();
      assertThat(counted).as(context).isLessThanOrEqualTo(10_240);
      for (var statement : document.get("Statement")) {
        if ("Deny".equals(statement.get("Effect").asText())) {
          continue;
        }
        var actions = strings(statement.get("Action"));
        var resources = strings(statement.get("Resource"));
        for (var action : actions) {
          var name = action.toLowerCase(Locale.ROOT);
          assertThat(action).as(context).doesNotContain("*").doesNotContain("?");
          assertThat(levels).as(context).containsKey(name);
          assertThat(floor).as("floor action " + action + " in " + context).doesNotContain(name);
          for (var policy : governing) {
            var iam = policy.getSpec().getIam();
            var allowed =
                iam == null || iam.getAllowedActions() == null
                    ? DataPlaneActions.actions()
                    : iam.getAllowedActions();
            assertThat(allowed.stream().anyMatch(p -> actionRegex(p).matcher(name).matches()))
                .as(action + " allowed by " + policy.getMetadata().getName() + " in " + context)
                .isTrue();
            var denied =
                iam == null || iam.getDeniedActions() == null
                    ? List.<String>of()
                    : iam.getDeniedActions();
            assertThat(denied.stream().noneMatch(p -> actionRegex(p).matcher(name).matches()))
                .as(action + " denied by " + policy.getMetadata().getName() + " in " + context)
                .isTrue();
          }
        }
        for (var resource : resources) {
          if (resource.equals("*")) {
            for (var action : actions) {
              var name = action.toLowerCase(Locale.ROOT);
              boolean wildcardAllowed =
                  withoutResources.contains(name)
                      || governing.stream()
                          .allMatch(
                              p ->
                                  p.getSpec().getIam() != null
                                      && p.getSpec().getIam().getWildcardResourceActions() != null
                                      && p.getSpec().getIam().getWildcardResourceActions().stream()
                                          .anyMatch(w -> actionRegex(w).matcher(name).matches()));
              assertThat(wildcardAllowed).as(action + " on * in " + context).isTrue();
            }
            continue;
          }
          var regex = arnRegex(resource);
          for (var concrete : UNIVERSE) {
            if (regex.matcher(concrete).matches()) {
              checkReached(concrete, statement, actions, governing, context);
            }
          }
        }
      }
    }

    private void checkReached(
        String arn,
        JsonNode statement,
        List<String> actions,
        List<SecureWorkloadPolicy> policies,
        String context) {
      var why = arn + " reached in " + context;
      assertThat(arn).as(why).doesNotContain("444455556666");
      if (arn.startsWith("arn:aws:s3:::")) {
        assertThat(statement.at("/Condition/StringEquals/aws:ResourceAccount").toString())
            .as(why)
            .isEqualTo("\"" + ACCOUNT + "\"");
      }
      if (arn.contains(":kms:")) {
        assertThat(statement.at("/Condition/StringEquals/kms:ViaService").isMissingNode())
            .as(why)
            .isFalse();
        boolean byAlias =
            statement
                .at("/Condition/ForAnyValue:StringLike/kms:ResourceAliases")
                .toString()
                .contains("alias/payments/");
        for (var policy : policies) {
          var keys =
              policy.getSpec().getSecrets() == null
                  ? null
                  : policy.getSpec().getSecrets().getAllowedKmsKeys();
          assertThat(
                  byAlias
                      || (keys != null
                          && keys.stream()
                              .anyMatch(k -> arnRegex(substitute(k)).matcher(arn).matches())))
              .as(why)
              .isTrue();
        }
        return;
      }
      if (arn.contains(":secretsmanager:") || arn.contains(":ssm:")) {
        assertThat(arn).as(why).containsAnyOf(":secret:payments/", ":parameter/payments/");
        return;
      }
      if (arn.equals("arn:aws:s3:::shared")) {
        assertThat(actions)
            .as(why)
            .allMatch(a -> a.toLowerCase(Locale.ROOT).startsWith("s3:listbucket"));
        assertThat(statement.at("/Condition/StringLike/s3:prefix").toString())
            .as(why)
            .contains("payments/");
        return;
      }
      for (var policy : policies) {
        var iam = policy.getSpec().getIam();
        boolean allowed;
        boolean builtIn =
            DefaultGuardrails.DEFAULT_POLICY_NAME.equals(policy.getMetadata().getName());
        if (builtIn || iam == null || iam.getAllowedResources() == null) {
          allowed = ownedByTheNamespace(arn);
        } else {
          allowed =
              iam.getAllowedResources().stream()
                  .filter(RESOURCE_PATTERNS::get)
                  .anyMatch(p -> arnRegex(substitute(p)).matcher(arn).matches());
        }
        assertThat(allowed).as(why + " under " + policy.getMetadata().getName()).isTrue();
      }
    }

    /** The namespace's own names, by the convention the default documents. */
    private static boolean ownedByTheNamespace(String arn) {
      var name = arn.split(":", 6)[5];
      return name.startsWith("payments.")
          || name.startsWith("payments_")
          || name.startsWith("table/payments_")
          || name.startsWith("log-group:payments/");
    }

    private static String substitute(String pattern) {
      return pattern
          .replace("${partition}", "aws")
          .replace("${account}", ACCOUNT)
          .replace("${region}", "eu-west-1")
          .replace("${namespace}", NS);
    }

    private static Pattern actionRegex(String glob) {
      return Pattern.compile(globRegex(glob.toLowerCase(Locale.ROOT)));
    }

    private static Pattern arnRegex(String glob) {
      return Pattern.compile(globRegex(glob));
    }

    private static String globRegex(String glob) {
      var regex = new StringBuilder();
      for (char c : glob.toCharArray()) {
        regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      return regex.toString();
    }

    private static List<String> strings(JsonNode node) {
      var values = new ArrayList<String>();
      if (node.isArray()) {
        node.forEach(v -> values.add(v.asText()));
      } else {
        values.add(node.asText());
      }
      return values;
    }
  }
}
