package io.secureworkload.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.faults.BadInputCorpus.Case;
import io.secureworkload.operator.faults.BadInputCorpus.RefusedBy;
import io.secureworkload.operator.iam.RoleName;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorProcess;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A corpus of invalid SecureWorkloads ({@code faults/bad-input.yaml}) applied all at once beside
 * valid ones. The operator runs as its own process (so that a crash would show), watching the
 * test's namespaces; its AWS calls go through a counting proxy in front of moto. Sizes: {@link
 * FaultSizes}.
 */
class BadInputIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration TIMEOUT = Duration.ofMinutes(FaultSizes.of(3, 10));

  /** How much longer than a clean rollout the valid ones may take beside the corpus. */
  private static final int SLOWDOWN_FACTOR = 4;

  /** Below this a clean rollout's time is mostly noise; the bound starts from here. */
  private static final Duration CLEAN_FLOOR = Duration.ofSeconds(5);

  private KubernetesClient client;
  private OperatorProcess operator;

  @BeforeEach
  void setUp() {
    client = KubeApiServer.get().newClient();
    OperatorTestEnvironment.prepareCluster(client);
    operator =
        FaultOperator.process("bad-input", KubeApiServer.get().kubeConfigYaml(), PROXY.endpoint());
  }

  @AfterEach
  void tearDown() {
    operator.close();
    client.close();
  }

  /**
   * Invariant: bad input is refused where it is found, naming the field, and costs the valid
   * workloads applied beside it nothing they would notice. Every document of the corpus is either
   * refused by the API server (422, the message naming its field) or stored and then brought by the
   * operator to {@code Stalled=True} with a message naming its field and no IAM role. The cases
   * only AWS can refuse (a managed policy that does not exist) reach {@code Stalled=True} naming
   * the field and the ARN, and their role, made before AWS refused the policy, is gone. The valid
   * workloads applied at the same time are all Ready within {@value #SLOWDOWN_FACTOR} times a clean
   * rollout of the same workloads measured first (on the same, warm, operator); a workload applied
   * after all that still converges (the operator is not stuck); and the process never died.
   */
  @Test
  void everyInvalidWorkloadIsRefusedNamingItsFieldWhileTheValidOnesConverge() throws Exception {
    int valid = FaultSizes.of(12, 40);
    int copies = FaultSizes.of(1, 3);
    var corpus = BadInputCorpus.load();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);

    var settings = operator.settings();
    var warmUp = new Rollout(client, MOTO.iamClient(), settings, "warm", 1);
    var clean = new Rollout(client, MOTO.iamClient(), settings, "clean", valid);
    var mixed = new Rollout(client, MOTO.iamClient(), settings, "mixed", valid);
    var corpusNamespaces = new ArrayList<String>();
    for (int i = 0; i < copies; i++) {
      var namespace = namespace("bad");
      corpusNamespaces.add(namespace);
      corpus.stream()
          .flatMap(c -> c.givenServiceAccounts().stream())
          .forEach(sa -> handMadeServiceAccount(namespace, sa));
    }
    var watched = new ArrayList<>(corpusNamespaces);
    watched.addAll(List.of(warmUp.namespace(), clean.namespace(), mixed.namespace()));
    operator.with(OperatorSettings.WATCH_NAMESPACES, String.join(",", watched)).start();
    // The clean rollout is measured on a warm operator, as the mixed one is.
    warmUp.apply();
    awaitReady(warmUp, 1);

    long cleanCalls = PROXY.calls().total();
    long cleanStart = System.nanoTime();
    clean.apply();
    awaitReady(clean, valid);
    var cleanTime = Duration.ofNanos(System.nanoTime() - cleanStart);
    cleanCalls = PROXY.calls().total() - cleanCalls;

    long callsBefore = PROXY.calls().total();
    long mixedStart = System.nanoTime();
    var rejections = applyTogether(mixed, corpus, corpusNamespaces);
    awaitReady(mixed, valid);
    var mixedTime = Duration.ofNanos(System.nanoTime() - mixedStart);

    var refused = new EnumMap<RefusedBy, Integer>(RefusedBy.class);
    for (var namespace : corpusNamespaces) {
      for (var c : corpus) {
        var rejection = rejections.get(namespace + "/" + c.name());
        refused.merge(c.refusedBy(), 1, Integer::sum);
        if (c.refusedBy() == RefusedBy.admission) {
          assertRefusedAtAdmission(c, rejection);
          continue;
        }
        assertThat(rejection).as("%s was refused at admission", c).isNull();
        awaitStalledNaming(namespace, c);
        if (c.refusedBy() == RefusedBy.aws) {
          assertThat(condition(get(namespace, c.name()), "Stalled").orElseThrow().getMessage())
              .as("Stalled of %s", c)
              .contains("spec.iam.managedPolicyArns");
        }
        assertThat(roleExists(roleName(namespace, c))).as("an IAM role for %s", c).isFalse();
      }
    }
    long calls = PROXY.calls().total() - callsBefore;
    mixed.assertExactlyTheRolesOf(mixed.names());

    client.resource(Rollout.workload("late")).inNamespace(mixed.namespace()).create();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .alias("a workload applied afterwards is Ready")
        .until(() -> WorkloadAssertions.isReady(get(mixed.namespace(), "late")));

    assertThat(operator.isAlive()).as("operator process alive").isTrue();
    assertThat(operator.starts()).as("operator process starts").isEqualTo(1);
    var bound = Collections.max(List.of(cleanTime, CLEAN_FLOOR)).multipliedBy(SLOWDOWN_FACTOR);
    System.out.printf(
        "[faults %s] bad input: %d invalid (%s) beside %d valid; valid all Ready in %.1f s clean,"
            + " %.1f s beside the corpus (%.2fx, bound %d s); IAM calls %d clean, %d mixed; no"
            + " role left by any case, the ones only AWS refuses included%n",
        FaultSizes.label(),
        corpus.size() * copies,
        refused,
        valid,
        cleanTime.toMillis() / 1000.0,
        mixedTime.toMillis() / 1000.0,
        mixedTime.toMillis() / (double) cleanTime.toMillis(),
        bound.toSeconds(),
        cleanCalls,
        calls);
    assertThat(mixedTime).as("valid workloads beside the corpus").isLessThanOrEqualTo(bound);
  }

  /**
   * Creates the valid workloads and every corpus document, shuffled together, from four threads.
   *
   * @return the API server's refusal of each document it refused, by namespace/name
   */
  private Map<String, KubernetesClientException> applyTogether(
      Rollout mixed, List<Case> corpus, List<String> corpusNamespaces) throws Exception {
    var rejections = new ConcurrentHashMap<String, KubernetesClientException>();
    var creates = new ArrayList<Runnable>();
    mixed
        .names()
        .forEach(
            name ->
                creates.add(
                    () ->
                        client
                            .resource(Rollout.workload(name))
                            .inNamespace(mixed.namespace())
                            .create()));
    for (var namespace : corpusNamespaces) {
      for (var c : corpus) {
        creates.add(
            () -> {
              try {
                client.resource(c.document()).inNamespace(namespace).create();
              } catch (KubernetesClientException e) {
                rejections.put(namespace + "/" + c.name(), e);
              }
            });
      }
    }
    Collections.shuffle(creates, new Random(10));
    var pool = Executors.newFixedThreadPool(4);
    try {
      var futures = creates.stream().map(pool::submit).toList();
      for (var future : futures) {
        future.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return rejections;
  }

  private static void assertRefusedAtAdmission(Case c, KubernetesClientException rejection) {
    assertThat(rejection).as("%s was stored; the API server should refuse it", c).isNotNull();
    String message =
        rejection.getStatus() != null ? rejection.getStatus().getMessage() : rejection.getMessage();
    assertThat(rejection.getCode()).as("%s: %s", c, message).isEqualTo(422);
    // The field as a whole word, so that spec.x does not pass for a message about spec.x[0] or
    // spec.xy. A rule on the whole object names its field in its message ("<nil>: ... metadata.name
    // must be ...").
    assertThat(message).as("refusal of %s", c).containsPattern(Pattern.quote(c.field()) + "(: | )");
  }

  private void awaitStalledNaming(String namespace, Case c) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              var stalled = condition(get(namespace, c.name()), "Stalled");
              assertThat(stalled).as("Stalled of %s", c).isPresent();
              assertThat(stalled.get().getStatus())
                  .as("Stalled of %s: %s", c, stalled.get().getMessage())
                  .isEqualTo(Condition.TRUE);
              assertThat(stalled.get().getMessage()).as("Stalled of %s", c).contains(c.field());
            });
  }

  private String roleName(String namespace, Case c) {
    var settings = operator.settings();
    return RoleName.derive(settings.rolePrefix(), settings.clusterName(), namespace, c.name());
  }

  private boolean roleExists(String roleName) {
    return MotoServer.roleExists(MOTO.iamClient(), roleName);
  }

  private void awaitReady(Rollout rollout, int size) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(rollout.ready()).as(rollout.describe()).isEqualTo(size));
  }

  private SecureWorkload get(String namespace, String name) {
    return client.resources(SecureWorkload.class).inNamespace(namespace).withName(name).get();
  }

  private static Optional<Condition> condition(SecureWorkload workload, String type) {
    if (workload == null || workload.getStatus() == null) {
      return Optional.empty();
    }
    return workload.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private String namespace(String prefix) {
    var name = prefix + "-" + Long.toString(System.nanoTime(), 36);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private void handMadeServiceAccount(String namespace, String name) {
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .create();
  }
}
