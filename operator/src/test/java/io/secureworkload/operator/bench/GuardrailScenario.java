package io.secureworkload.operator.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.guardrail.ActionCatalogue;
import io.secureworkload.operator.guardrail.DefaultGuardrails;
import io.secureworkload.operator.guardrail.EffectivePolicy;
import io.secureworkload.operator.guardrail.GuardrailContext;
import io.secureworkload.operator.guardrail.GuardrailEvaluator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The guardrails' own cost, in this JVM: the heap the action catalogue takes once loaded, and the
 * time one workload's decision takes (evaluation, narrowing and the document that is sent, as
 * Admission does it) for a 50-statement spec with wildcards, each workload in a namespace of its
 * own.
 */
public final class GuardrailScenario {

  static final int STATEMENTS = 50;
  static final int WARMUP = 200;

  /** Patterns a tenant writes: literal, prefix, suffix, one-character and service wildcards. */
  private static final List<String> ACTIONS =
      List.of(
          "s3:GetObject",
          "s3:Get*",
          "s3:*Object",
          "s3:PutObject",
          "s3:ListBucket",
          "sqs:*Message",
          "sqs:SendMessage",
          "sqs:Get*",
          "dynamodb:*Item",
          "dynamodb:Query",
          "dynamodb:?etItem",
          "kms:Decrypt",
          "kms:GenerateDataKey*",
          "logs:Put*",
          "cloudwatch:PutMetricData",
          "*:PutRecord*",
          "iam:*",
          "*:Describe*",
          "s3:*");

  record Result(double catalogueHeapMiB, double p50Millis, double p99Millis, int workloads) {}

  private GuardrailScenario() {}

  /** Alone, without the operator: {@code make bench-guardrails}. */
  public static void main(String[] args) {
    var result = measure(Integer.parseInt(System.getenv().getOrDefault("BENCH_N", "1000")));
    System.out.printf(
        "guardrails: catalogue %.1f MiB; %d workloads of %d statements: p50 %.2f ms, p99 %.2f ms%n",
        result.catalogueHeapMiB(),
        result.workloads(),
        STATEMENTS,
        result.p50Millis(),
        result.p99Millis());
    System.exit(0);
  }

  static Result measure(int workloads) {
    // Everything but the catalogue first (the model's classes, YAML, the guardrails' code), so
    // that the difference is the catalogue and its floor alone.
    workload("warm", new Random(1));
    double before = usedAfterGcMiB();
    var catalogueInUse = ActionCatalogue.bundled();
    GuardrailEvaluator.evaluate(
        workload("warm", new Random(1)),
        EffectivePolicy.combine(List.of(), DefaultGuardrails.policy()),
        context("warm"));
    double catalogue = usedAfterGcMiB() - before;
    java.lang.ref.Reference.reachabilityFence(catalogueInUse);

    var random = new Random(16);
    var platform =
        Serialization.unmarshal(
            """
            apiVersion: secureworkload.io/v1alpha1
            kind: SecureWorkloadPolicy
            metadata: {name: platform}
            spec:
              namespaceSelector: {}
              iam:
                allowedActions: ["s3:*", "sqs:*", "dynamodb:*", "kms:*", "logs:*", "cloudwatch:*"]
            """,
            SecureWorkloadPolicy.class);
    // The workloads are made first: parsing their YAML inside the timed loop would put the
    // driver's own garbage collections into the figures.
    var specs = new ArrayList<SecureWorkload>();
    var namespaces = new ArrayList<String>();
    for (int i = -WARMUP; i < workloads; i++) {
      var namespace = "team-" + Math.floorMod(i, 997);
      namespaces.add(namespace);
      specs.add(workload(namespace, random));
    }
    usedAfterGcMiB();
    var times = new double[workloads];
    for (int k = 0; k < specs.size(); k++) {
      int i = k - WARMUP;
      var workload = specs.get(k);
      var policies = i % 2 == 0 ? List.<SecureWorkloadPolicy>of() : List.of(platform);
      long start = System.nanoTime();
      var policy = EffectivePolicy.combine(policies, DefaultGuardrails.policy());
      var context = context(namespaces.get(k));
      var verdict = GuardrailEvaluator.evaluate(workload, policy, context);
      var document = verdict.inlinePolicy();
      double millis = (System.nanoTime() - start) / 1e6;
      if (document != null && document.isEmpty()) {
        throw new IllegalStateException("an empty inline policy");
      }
      if (i >= 0) {
        times[i] = millis;
      }
    }
    Arrays.sort(times);
    return new Result(
        catalogue, times[workloads / 2], times[(int) Math.ceil(workloads * 0.99) - 1], workloads);
  }

  private static SecureWorkload workload(String namespace, Random random) {
    var yaml = new StringBuilder("iam:\n  statements:\n");
    for (int s = 0; s < STATEMENTS; s++) {
      var actions = new ArrayList<String>();
      for (int a = 0; a < 3; a++) {
        actions.add("'" + ACTIONS.get(random.nextInt(ACTIONS.size())) + "'");
      }
      yaml.append("  - actions: ").append(actions).append('\n');
      yaml.append("    resources: ['arn:aws:s3:::")
          .append(namespace)
          .append(".data")
          .append(s)
          .append("/*', 'arn:aws:sqs:eu-west-1:111122223333:")
          .append(namespace)
          .append("_q")
          .append(s)
          .append("', 'arn:aws:kms:eu-west-1:111122223333:key/*']\n");
    }
    var workload =
        Serialization.unmarshal(
            "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkload\nmetadata: {name: w,"
                + " namespace: "
                + namespace
                + "}\nspec:\n"
                + ("selector: {matchLabels: {app: w}}\n" + yaml).indent(2),
            SecureWorkload.class);
    return workload;
  }

  private static GuardrailContext context(String namespace) {
    return GuardrailContext.builder()
        .accountId("111122223333")
        .partition("aws")
        .region("eu-west-1")
        .namespace(namespace)
        .positionInNamespace(1)
        .roleName("sw-bench." + namespace + ".w")
        .tagCount(6)
        .build();
  }

  /** The least of five samples, each after a full collection: floating garbage only adds. */
  private static double usedAfterGcMiB() {
    var memory = ManagementFactory.getMemoryMXBean();
    double least = Double.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0));
    }
    return least;
  }
}
