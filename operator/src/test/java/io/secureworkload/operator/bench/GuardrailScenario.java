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
 * Admission does it) for a spec of 50 statements with wildcards, each workload in a namespace of
 * its own. Two kinds of spec: one a platform policy admits whole (the target), and a hostile one in
 * which most statements are refused or narrowed (every message built, the spec copied).
 *
 * <p>Beside the wall-clock times, each decision's own cost as its thread sees it: the bytes it
 * allocates and the CPU time it takes. Neither counts other processes' load or the collector's
 * threads, so they compare across runs on a busy machine, where the wall clock does not; the
 * allocation is what the young collections that make up the tail are paid in.
 */
public final class GuardrailScenario {

  static final int STATEMENTS = 50;
  static final int WARMUP = 200;

  /**
   * Statements a tenant writes, by service: a wildcard and the resource it acts on. Narrow
   * wildcards: fifty statements of s3:Get* (60 actions each once expanded) would pass IAM's 10,240
   * characters, which the measurement itself checks.
   */
  private static final List<List<String>> ADMITTED =
      List.of(
          List.of("'s3:?etObject'", "arn:aws:s3:::NS.dataI/*"),
          List.of("'sqs:*Message'", "arn:aws:sqs:eu-west-1:111122223333:NS_qI"),
          List.of("'dynamodb:*Item'", "arn:aws:dynamodb:eu-west-1:111122223333:table/NS_tI"),
          List.of("'kinesis:PutRecord*'", "arn:aws:kinesis:eu-west-1:111122223333:stream/NS_sI"),
          List.of("'logs:*LogEvents'", "arn:aws:logs:eu-west-1:111122223333:log-group:NS/aI:*"));

  /** Patterns of every kind, floor and unknown ones included. */
  private static final List<String> HOSTILE_ACTIONS =
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

  private static final SecureWorkloadPolicy PLATFORM =
      Serialization.unmarshal(
          """
          apiVersion: secureworkload.io/v1alpha1
          kind: SecureWorkloadPolicy
          metadata: {name: platform}
          spec:
            namespaceSelector: {}
            iam:
              allowedActions: ["s3:*", "sqs:*", "dynamodb:*", "kms:*", "kinesis:*", "logs:*", "cloudwatch:*"]
          """,
          SecureWorkloadPolicy.class);

  record Result(double catalogueHeapMiB, Timing admitted, Timing hostile) {}

  /**
   * @param allocatedKiBP50 the median of the bytes one decision allocates, in KiB
   * @param cpuP50Micros the median of the CPU time one decision takes on its thread
   */
  record Timing(
      int workloads,
      double p50Millis,
      double p99Millis,
      double allocatedKiBP50,
      double cpuP50Micros,
      double cpuP99Micros) {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private GuardrailScenario() {}

  /** Alone, without the operator: {@code make bench-guardrails}. */
  public static void main(String[] args) {
    var result = measure(Integer.parseInt(System.getenv().getOrDefault("BENCH_N", "1000")));
    for (var kind : List.of("admitted", "hostile")) {
      var timing = kind.equals("admitted") ? result.admitted() : result.hostile();
      System.out.printf(
          "guardrails %s: catalogue %.1f MiB; %d workloads of %d statements: p50 %.2f ms, p99 %.2f"
              + " ms; allocated p50 %.1f KiB; CPU p50 %.0f us, p99 %.0f us%n",
          kind,
          result.catalogueHeapMiB(),
          timing.workloads(),
          STATEMENTS,
          timing.p50Millis(),
          timing.p99Millis(),
          timing.allocatedKiBP50(),
          timing.cpuP50Micros(),
          timing.cpuP99Micros());
    }
    System.exit(0);
  }

  static Result measure(int workloads) {
    // Everything but the catalogue first (the model's classes, YAML, the guardrails' code), so
    // that the difference is the catalogue and its floor alone.
    admitted("warm", 0);
    double before = usedAfterGcMiB();
    var catalogueInUse = ActionCatalogue.bundled();
    decide(hostile("warm", new Random(1)), List.of(), "warm");
    double catalogue = usedAfterGcMiB() - before;
    java.lang.ref.Reference.reachabilityFence(catalogueInUse);

    var random = new Random(16);
    var admitted = time(workloads, k -> admitted(namespace(k), k), List.of(PLATFORM), true);
    var hostile = time(workloads, k -> hostile(namespace(k), random), List.of(), false);
    return new Result(catalogue, admitted, hostile);
  }

  private static Timing time(
      int workloads,
      java.util.function.IntFunction<SecureWorkload> make,
      List<SecureWorkloadPolicy> policies,
      boolean mustComply) {
    // The workloads are made first: parsing their YAML inside the timed loop would put the
    // driver's own garbage collections into the figures.
    var specs = new ArrayList<SecureWorkload>();
    for (int k = 0; k < WARMUP + workloads; k++) {
      specs.add(make.apply(k));
    }
    usedAfterGcMiB();
    var times = new double[workloads];
    var allocated = new double[workloads];
    var cpu = new double[workloads];
    for (int k = 0; k < specs.size(); k++) {
      var workload = specs.get(k);
      long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
      long cpuBefore = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      var verdict = decide(workload, policies, workload.getMetadata().getNamespace());
      long elapsed = System.nanoTime() - start;
      long cpuTaken = THREADS.getCurrentThreadCpuTime() - cpuBefore;
      long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
      if (mustComply && !verdict.compliant()) {
        throw new IllegalStateException("an admitted spec was refused: " + verdict.violations());
      }
      if (k >= WARMUP) {
        times[k - WARMUP] = elapsed / 1e6;
        cpu[k - WARMUP] = cpuTaken / 1e3;
        allocated[k - WARMUP] = bytes / 1024.0;
      }
    }
    return new Timing(workloads, p50(times), p99(times), p50(allocated), p50(cpu), p99(cpu));
  }

  private static double p50(double[] values) {
    var sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double p99(double[] values) {
    var sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
  }

  /** What Admission does: combine, evaluate, and the document to send, which the verdict holds. */
  private static io.secureworkload.operator.guardrail.Verdict decide(
      SecureWorkload workload, List<SecureWorkloadPolicy> policies, String namespace) {
    var policy = EffectivePolicy.combine(policies, DefaultGuardrails.policy());
    var verdict = GuardrailEvaluator.evaluate(workload, policy, context(namespace));
    if (verdict.blocks()) {
      verdict.narrowed();
    }
    return verdict;
  }

  private static String namespace(int k) {
    return "team-" + (k % 997);
  }

  private static SecureWorkload admitted(String namespace, int k) {
    var yaml = new StringBuilder("iam:\n  statements:\n");
    for (int s = 0; s < STATEMENTS; s++) {
      var statement = ADMITTED.get((s + k) % ADMITTED.size());
      yaml.append("  - actions: [").append(statement.get(0)).append("]\n");
      var resources = new ArrayList<String>();
      for (var resource : statement.subList(1, statement.size())) {
        resources.add(
            "'" + resource.replace("NS", namespace).replace("I", String.valueOf(s)) + "'");
      }
      yaml.append("    resources: ").append(resources).append('\n');
    }
    return workload(namespace, yaml.toString());
  }

  private static SecureWorkload hostile(String namespace, Random random) {
    var yaml = new StringBuilder("iam:\n  statements:\n");
    for (int s = 0; s < STATEMENTS; s++) {
      var actions = new ArrayList<String>();
      for (int a = 0; a < 3; a++) {
        actions.add("'" + HOSTILE_ACTIONS.get(random.nextInt(HOSTILE_ACTIONS.size())) + "'");
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
    return workload(namespace, yaml.toString());
  }

  private static SecureWorkload workload(String namespace, String specYaml) {
    return Serialization.unmarshal(
        "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkload\nmetadata: {name: w,"
            + " namespace: "
            + namespace
            + "}\nspec:\n"
            + ("selector: {matchLabels: {app: w}}\n" + specYaml).indent(2),
        SecureWorkload.class);
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
