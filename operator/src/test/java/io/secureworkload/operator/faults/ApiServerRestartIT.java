package io.secureworkload.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorProcess;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TcpForwarder;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server goes away and comes back with its etcd kept. kube-api-test cannot restart the API
 * server alone, so the operator (its own process) reaches the shared API server through a {@link
 * TcpForwarder} on a fixed port: stopping the forwarder closes the port and cuts every connection,
 * watches included; starting it again is the API server coming back at the same address. The test
 * itself talks to the API server directly. Sizes: {@link FaultSizes}.
 */
class ApiServerRestartIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration TIMEOUT = Duration.ofMinutes(FaultSizes.of(3, 10));

  /**
   * How many Normal Events one workload may get: the Ready Event that names what was made, and one
   * more should a failure while the API server was away take Ready away once.
   */
  private static final long NORMAL_PER_WORKLOAD = 2;

  private KubernetesClient client;
  private TcpForwarder forwarder;
  private OperatorProcess operator;

  @BeforeEach
  void setUp() {
    client = KubeApiServer.get().newClient();
    OperatorTestEnvironment.prepareCluster(client);
    var redirected = TcpForwarder.inFrontOf(KubeApiServer.get().kubeConfigYaml());
    forwarder = redirected.forwarder().start();
    operator =
        FaultOperator.process("apiserver-restart", redirected.kubeConfigYaml(), PROXY.endpoint());
  }

  @AfterEach
  void tearDown() {
    operator.close();
    forwarder.close();
    client.close();
  }

  /**
   * Invariant: an API server that goes away mid-rollout and comes back costs time, nothing else.
   * Half of N workloads are applied; once the operator has created roles for half of those, the API
   * server goes away for a while (every connection cut, the port closed), and the other half is
   * applied meanwhile, which the operator can only learn of by listing again. After it is back:
   * every workload is Ready, IAM holds exactly one correct role per workload and no other, every
   * workload's creation is told by a Ready Event naming its role, no workload gets more than
   * {@value #NORMAL_PER_WORKLOAD} Normal Events, and the operator process never died.
   */
  @Test
  void afterTheApiServerComesBackInformersRecoverAndEveryWorkloadConvergesOnce()
      throws InterruptedException {
    int size = FaultSizes.of(20, 100);
    var away = FaultSizes.of(Duration.ofSeconds(8), Duration.ofSeconds(30));
    var rollout = new Rollout(client, MOTO.iamClient(), operator.settings(), "restart", size);
    operator.with(OperatorSettings.WATCH_NAMESPACES, rollout.namespace()).start();
    var names = rollout.names();
    var before = names.subList(0, size / 2);
    var during = names.subList(size / 2, size);
    long started = System.nanoTime();
    long creates = PROXY.calls().total("CreateRole");
    before.forEach(name -> create(rollout, name));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .alias("the operator is rolling out (log " + operator.log() + ")")
        .until(() -> PROXY.calls().total("CreateRole") >= creates + before.size() / 2);

    long readyWhenCut = rollout.ready();
    long rolesWhenCut = PROXY.calls().total("CreateRole") - creates;
    long connectionsBefore = forwarder.accepted();
    forwarder.stop();
    during.forEach(name -> create(rollout, name));
    Thread.sleep(away.toMillis());
    assertThat(operator.isAlive())
        .as("operator process alive while the API server is away")
        .isTrue();
    forwarder.start();
    long back = System.nanoTime();

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .alias("all Ready (log " + operator.log() + ")")
        .untilAsserted(() -> assertThat(rollout.ready()).as(rollout.describe()).isEqualTo(size));
    long readySeconds = Duration.ofNanos(System.nanoTime() - back).toSeconds();

    rollout.assertExactlyTheRolesOf(names);
    var normal = normalPerWorkload(rollout.namespace());
    long mostNormal = normal.values().stream().mapToLong(Long::longValue).max().orElse(0);
    var perWorkload = eventsPerWorkload(rollout.namespace());
    System.out.printf(
        "[faults %s] API server away %d s mid-rollout: %d workloads (%d applied while away; %d roles"
            + " made and %d Ready when it went), all Ready %d s after it came back (%d s in all); %d"
            + " connections made again; Normal Events per workload at most %d; Events per workload"
            + " %d to %d; %d CreateRole%n",
        FaultSizes.label(),
        away.toSeconds(),
        size,
        during.size(),
        rolesWhenCut,
        readyWhenCut,
        readySeconds,
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        forwarder.accepted() - connectionsBefore,
        mostNormal,
        perWorkload.values().stream().mapToLong(Long::longValue).min().orElse(0),
        perWorkload.values().stream().mapToLong(Long::longValue).max().orElse(0),
        PROXY.calls().total("CreateRole"));
    assertThat(operator.isAlive()).as("operator process alive").isTrue();
    assertThat(operator.starts()).as("operator process starts").isEqualTo(1);
    assertThat(normal)
        .as("Normal Events per workload")
        .hasSize(size)
        .allSatisfy(
            (workload, count) ->
                assertThat(count).as(workload).isLessThanOrEqualTo(NORMAL_PER_WORKLOAD));
    assertThat(readyNamingTheRole(rollout.namespace()))
        .as("workloads with a Ready Event naming their role")
        .containsExactlyInAnyOrderElementsOf(names);
  }

  private void create(Rollout rollout, String name) {
    client.resource(Rollout.workload(name)).inNamespace(rollout.namespace()).create();
  }

  private List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  /** Each workload to how many Normal Events it got. */
  private Map<String, Long> normalPerWorkload(String namespace) {
    return events(namespace).stream()
        .filter(e -> "Normal".equals(e.getType()))
        .collect(
            Collectors.groupingBy(
                e -> e.getInvolvedObject().getName(),
                Collectors.summingLong(ApiServerRestartIT::count)));
  }

  private List<String> readyNamingTheRole(String namespace) {
    return events(namespace).stream()
        .filter(e -> "Ready".equals(e.getReason()))
        .filter(e -> e.getMessage().startsWith("Ready: IAM role arn:aws:iam::"))
        .map(e -> e.getInvolvedObject().getName())
        .distinct()
        .toList();
  }

  private Map<String, Long> eventsPerWorkload(String namespace) {
    return events(namespace).stream()
        .collect(
            Collectors.groupingBy(
                e -> e.getInvolvedObject().getName(),
                Collectors.summingLong(ApiServerRestartIT::count)));
  }

  private static long count(Event event) {
    return event.getCount() == null ? 1 : event.getCount();
  }
}
