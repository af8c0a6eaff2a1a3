package io.secureworkload.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorProcess;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator as its own process, killed, stopped and started again while SecureWorkloads come and
 * go. Its AWS calls go through a fault proxy in front of moto, which counts them; the test looks at
 * moto directly. Sizes: {@link FaultSizes} (compressed in {@code make test}, full in {@code make
 * faults}).
 */
class OperatorCrashIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration TIMEOUT = Duration.ofMinutes(FaultSizes.of(4, 15));

  private KubernetesClient client;
  private OperatorProcess operator;

  @BeforeEach
  void setUp() {
    client = KubeApiServer.get().newClient();
    Crds.installOperatorCrds(client);
    operator =
        FaultOperator.process("crash", KubeApiServer.get().kubeConfigYaml(), PROXY.endpoint());
  }

  @AfterEach
  void tearDown() {
    operator.close();
    client.close();
  }

  /**
   * Invariant: SIGKILL at any moment of a rollout loses nothing and doubles nothing. After N
   * workloads applied and K kills at random moments while AWS calls are in flight (each followed by
   * a restart), every workload is Ready, IAM holds exactly one role per workload and no role
   * without a workload, each role's trust and inline policy are the spec's, and no role ever
   * existed without its ownership tags: CreateRole carries them (the proxy saw no TagRole call).
   */
  @Test
  void killedAtRandomMomentsOfARolloutItConvergesWithExactlyOneCorrectRolePerWorkload()
      throws InterruptedException {
    int size = FaultSizes.of(30, 200);
    int kills = FaultSizes.of(3, 20);
    long seed = System.nanoTime();
    var random = new Random(seed);
    var rollout = new Rollout(client, MOTO.iamClient(), operator.settings(), "crash", size);
    operator.with("SW_WATCH_NAMESPACES", rollout.namespace()).start();
    long started = System.nanoTime();
    rollout.apply();

    int killed = 0;
    while (killed < kills && rollout.ready() < size) {
      long before = PROXY.calls().total();
      // A kill is only a fault while AWS calls are in flight: wait for the process to make some.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> PROXY.calls().total() > before);
      Thread.sleep(random.nextInt(1500));
      operator.kill();
      killed++;
      operator.start();
    }
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .alias("all Ready (seed " + seed + ", log " + operator.log() + ")")
        .untilAsserted(() -> assertThat(rollout.ready()).as(rollout.describe()).isEqualTo(size));
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    rollout.assertExactlyTheRolesOf(rollout.names());
    assertThat(PROXY.calls().total("TagRole")).as("tags written after CreateRole").isZero();
    System.out.printf(
        "[faults %s] crash mid-rollout: %d workloads, %d SIGKILLs (seed %d), all Ready in %d s,"
            + " %d CreateRole, %d IAM calls in all%n",
        FaultSizes.label(),
        size,
        killed,
        seed,
        seconds,
        PROXY.calls().total("CreateRole"),
        PROXY.calls().total());
  }

  /**
   * Invariant: a SecureWorkload deleted while no operator runs still has its role deleted. N Ready
   * workloads are deleted while the process is stopped (the finalizer holds them); once it starts,
   * every one is gone and IAM holds none of their roles.
   */
  @Test
  void workloadsDeletedWhileTheOperatorIsDownHaveTheirRolesDeletedAfterItStarts() {
    int size = FaultSizes.of(10, 50);
    var rollout = new Rollout(client, MOTO.iamClient(), operator.settings(), "down", size);
    operator.with("SW_WATCH_NAMESPACES", rollout.namespace()).start();
    rollout.apply();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(rollout.ready()).as(rollout.describe()).isEqualTo(size));
    assertThat(rollout.roles()).hasSize(size);

    assertThat(operator.stop(Duration.ofSeconds(30))).isTrue();
    client.resources(SecureWorkload.class).inNamespace(rollout.namespace()).delete();
    assertThat(rollout.workloads())
        .as("the finalizer keeps them while no operator runs")
        .hasSize(size)
        .allMatch(SecureWorkload::isMarkedForDeletion);
    long started = System.nanoTime();
    operator.start();

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .alias("all deleted (log " + operator.log() + ")")
        .until(() -> rollout.workloads().isEmpty());
    assertThat(rollout.roles()).isEmpty();
    System.out.printf(
        "[faults %s] deletes while down: %d workloads deleted while stopped, all gone %d s after"
            + " start, 0 roles left%n",
        FaultSizes.label(), size, Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  /**
   * Invariant: SIGTERM during a reconciliation ends the process within the grace period and leaves
   * no half-written role. With every PutRolePolicy slowed by 2 s, the process is stopped right
   * after its first CreateRole; it exits within 30 s (10 s for reconciliations in flight, the rest
   * is the JVM), every role then in IAM has its ownership tags, and after a restart everything
   * converges.
   */
  @Test
  void sigtermDuringAReconciliationExitsInTimeAndLeavesNoRoleWithoutItsTags() {
    int size = 4;
    var rollout = new Rollout(client, MOTO.iamClient(), operator.settings(), "term", size);
    PROXY.add(
        FaultRule.inject(Fault.latency(Duration.ofSeconds(2))).forOperations("PutRolePolicy"));
    long creates = PROXY.calls().total("CreateRole");
    operator.with("SW_WATCH_NAMESPACES", rollout.namespace()).start();
    rollout.apply();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> PROXY.calls().total("CreateRole") > creates);

    long stopping = System.nanoTime();
    assertThat(operator.stop(Duration.ofSeconds(30))).as("exits within the grace period").isTrue();
    long exitMillis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();

    var halfway = rollout.roles();
    assertThat(halfway).isNotEmpty();
    for (var role : halfway) {
      assertThat(role.tags()).as("tags of %s", role.roleName()).hasSize(6);
    }
    PROXY.clearRules();
    operator.start();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(rollout.ready()).as(rollout.describe()).isEqualTo(size));
    rollout.assertExactlyTheRolesOf(rollout.names());
    System.out.printf(
        "[faults %s] SIGTERM mid-reconcile: exited in %d ms, %d roles in IAM at exit, all tagged;"
            + " converged after restart%n",
        FaultSizes.label(), exitMillis, halfway.size());
  }
}
