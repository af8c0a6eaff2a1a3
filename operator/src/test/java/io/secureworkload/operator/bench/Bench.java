package io.secureworkload.operator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestWorkloads;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/** What every scenario shares: the clients, the workloads' names, timing and percentiles. */
final class Bench {

  static final int NAMESPACES = 50;
  static final String ROLE_PATH = "/secureworkload/";

  /**
   * Every part of the envelope: 2 statements, a managed policy, 2 secrets, a group, ingress,
   * egress.
   */
  static final String FULL_SPEC =
      """
      selector: {matchLabels: {app: NAME}}
      iam:
        statements:
        - {actions: [s3:GetObject], resources: ["arn:aws:s3:::bench/NAME/*"]}
        - {actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:NAME"]}
        managedPolicyArns: [MANAGED]
      secrets:
        objects:
        - {name: prod/NAME/db, type: secretsmanager, alias: db}
        - {name: /NAME/flags, type: ssmparameter, alias: flags}
      securityGroups: {groupIds: [sg-0123456789abcdef0]}
      network:
        ingress:
        - from: [{podSelector: {matchLabels: {app: frontend}}}]
          ports: [{port: 8080}]
        egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/16}}]
          ports: [{protocol: TCP, port: 5432}]
      """;

  private Bench() {}

  /** The benchmark's own client: its user agent keeps its writes out of the operator's count. */
  static KubernetesClient client() {
    var config = Config.fromKubeconfig(KubeApiServer.get().kubeConfigYaml());
    config.setUserAgent(ApiWrites.BENCH_USER_AGENT);
    config.setRequestTimeout(60_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The ITs' permissive policy for the benchmark's namespaces alone: room for 1,000 workloads per
   * namespace, where the default guardrails allow 50.
   */
  static final String POLICY =
      OperatorTestEnvironment.PERMISSIVE_POLICY
          .replace("name: it-permissive", "name: bench")
          .replace(
              "matchExpressions: [{key: %s, operator: DoesNotExist}]"
                  .formatted(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL),
              "matchLabels: {%s: bench}".formatted(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL));

  static void prepareCluster(KubernetesClient client) {
    Crds.installOperatorCrds(client);
    ThirdPartyCrds.install(client);
    var policy = Serialization.unmarshal(POLICY, SecureWorkloadPolicy.class);
    if (!POLICY.contains("bench}") || policy.getSpec().getLimits() == null) {
      throw new IllegalStateException("The bench policy did not take its selector or limits");
    }
    client.resource(policy).serverSideApply();
    for (int i = 0; i < NAMESPACES; i++) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace(i))
                  .addToLabels(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "bench")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
  }

  static String namespace(int workload) {
    return "bench-%02d".formatted(workload % NAMESPACES);
  }

  static String name(int workload) {
    return "w%05d".formatted(workload);
  }

  static SecureWorkload workload(int i, String managedPolicyArn) {
    var workload =
        TestWorkloads.workload(
            name(i), FULL_SPEC.replace("NAME", name(i)).replace("MANAGED", managedPolicyArn));
    workload.getMetadata().setNamespace(namespace(i));
    return workload;
  }

  static ServiceAccount serviceAccount(KubernetesClient client, int i) {
    return client.serviceAccounts().inNamespace(namespace(i)).withName(name(i)).get();
  }

  static NetworkPolicy defaultDeny(KubernetesClient client, int i) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(namespace(i))
        .withName(name(i) + "-default-deny")
        .get();
  }

  /** Seconds until the condition holds, polled every {@code pollMillis}. */
  static double secondsUntil(BooleanSupplier condition, long pollMillis, long timeoutSeconds) {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > timeoutSeconds * 1_000_000_000L) {
        throw new IllegalStateException("Not reached within " + timeoutSeconds + " s");
      }
      sleep(pollMillis);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static double percentile(List<Double> values, double p) {
    var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    var delta = new java.util.TreeMap<String, Long>();
    after.forEach(
        (k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d != 0) {
            delta.put(k, d);
          }
        });
    return delta;
  }

  static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Runs {@code each} for every index in [from, to) on four threads, and waits for them all. */
  static void inParallel(int from, int to, IntConsumer each) {
    var pool = Executors.newFixedThreadPool(4);
    try {
      var pending = new ArrayList<Future<?>>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        pending.add(
            pool.submit(
                () -> {
                  for (int i = from + thread; i < to; i += 4) {
                    each.accept(i);
                  }
                }));
      }
      for (var future : pending) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
