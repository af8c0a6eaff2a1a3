package io.secureworkload.operator.e2e;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.secureworkload.operator.Leadership;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.aws.AwsCalls;
import io.secureworkload.operator.config.LeaderElectionSettings;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.NamespaceWorkloads;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operators (two {@code Operator}s, each with its own client, metrics and AWS clients) against
 * one API server and one moto, electing a leader through one Lease: only the leader reconciles;
 * when it stops, it releases the Lease and the standby takes over and converges what was created
 * meanwhile.
 */
class LeaderElectionIT {

  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIT.class);

  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  // Short, so a test that had to wait out a lease would still be quick; the release makes the
  // hand-over independent of the lease duration (asserted below).
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(4);
  private static final Duration RETRY = Duration.ofMillis(300);

  private static KubernetesClient admin;
  private final String namespace = "leader-" + System.nanoTime();
  private final List<String> deposed = new CopyOnWriteArrayList<>();
  private final List<OperatorAssembly.Running> running = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void crds() {
    admin = KubeApiServer.get().newClient();
    NamespaceWorkloads.installCrds(admin);
  }

  @AfterEach
  void stopOperators() {
    running.forEach(OperatorAssembly.Running::close);
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverAtOnceWhenItStops() {
    var workloads = new NamespaceWorkloads(admin, namespace);
    var first = assembly("operator-a");
    var second = assembly("operator-b");
    var firstRunning = start(first);
    await().atMost(Duration.ofSeconds(20)).until(() -> first.leadership().isLeader());
    var secondRunning = start(second);

    workloads.create(workload("before", spec("before")));
    workloads.awaitReady("before");

    assertThat(holder()).isEqualTo("operator-a");
    assertThat(awsCalls(first)).as("AWS calls of the leader").isPositive();
    assertThat(awsCalls(second)).as("AWS calls of the standby").isZero();
    assertThat(second.leadership().isLeader()).isFalse();
    assertThat(secondRunning.ready())
        .as("the standby is ready: started, informers synced")
        .isTrue();
    assertThat(firstRunning.ready()).isTrue();
    assertThat(gauge(first)).isEqualTo(1.0);
    assertThat(gauge(second)).isEqualTo(0.0);

    long stopping = System.nanoTime();
    firstRunning.close();
    running.remove(firstRunning);
    workloads.create(workload("meanwhile", spec("meanwhile")));
    await()
        .atMost(LEASE)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> second.leadership().isLeader());
    var handOver = Duration.ofNanos(System.nanoTime() - stopping);
    workloads.awaitReady("meanwhile");
    var converged = Duration.ofNanos(System.nanoTime() - stopping);
    log.info(
        "Hand-over: the standby led {} ms after the leader began to stop; the workload created"
            + " meanwhile was Ready after {} ms (lease duration {} ms, retry period {} ms)",
        handOver.toMillis(),
        converged.toMillis(),
        LEASE.toMillis(),
        RETRY.toMillis());

    assertThat(holder()).isEqualTo("operator-b");
    assertThat(handOver)
        .as("hand-over time, well under the lease duration")
        .isLessThan(LEASE.dividedBy(2));
    assertThat(gauge(second)).isEqualTo(1.0);
    assertThat(gauge(first)).isEqualTo(0.0);
    assertThat(awsCalls(second)).as("AWS calls of the new leader").isPositive();

    workloads.deleteAndAwaitGone("before");
    workloads.deleteAndAwaitGone("meanwhile");
    assertThat(deposed).as("no instance lost the Lease while running").isEmpty();
  }

  /**
   * A leader cut off from the API server cannot renew: it gives up leading after the renew deadline
   * (in production the process exits), and the standby takes over once the lease it can no longer
   * see renewed expires. This is the bound without a release.
   */
  @Test
  void aLeaderCutOffFromTheApiServerIsDeposedAndReplacedWithinTheLeaseDuration() {
    var workloads = new NamespaceWorkloads(admin, namespace);
    var first = assembly("operator-a");
    var second = assembly("operator-b");
    var firstRunning = start(first);
    await().atMost(Duration.ofSeconds(20)).until(() -> first.leadership().isLeader());
    start(second);

    long cut = System.nanoTime();
    firstRunning.client().close();
    await().atMost(LEASE.multipliedBy(2)).until(() -> second.leadership().isLeader());
    var takeOver = Duration.ofNanos(System.nanoTime() - cut);
    workloads.create(workload("after", spec("after")));
    workloads.awaitReady("after");
    log.info(
        "Without a release: the standby led {} ms after the leader was cut off (lease duration {}"
            + " ms, renew deadline {} ms)",
        takeOver.toMillis(),
        LEASE.toMillis(),
        RENEW_DEADLINE.toMillis());

    // The cut-off leader learns it lost the Lease when its renew deadline passes, which may be a
    // moment after the standby took over.
    await()
        .atMost(RENEW_DEADLINE.plus(LEASE))
        .untilAsserted(
            () ->
                assertThat(deposed)
                    .as("the cut-off leader noticed it lost the Lease")
                    .containsExactly("operator-a"));
    assertThat(takeOver).isLessThan(LEASE.plus(RETRY.multipliedBy(3)).plus(Duration.ofSeconds(1)));
    assertThat(awsCalls(second)).isPositive();
    workloads.deleteAndAwaitGone("after");
  }

  private OperatorAssembly assembly(String identity) {
    var settings =
        OperatorTestEnvironment.settings(MOTO.endpoint())
            // The shared API server holds other tests' workloads: watch only this test's.
            .watchNamespaces(Set.of(namespace))
            .leaderElection(
                LeaderElectionSettings.on(Optional.of(namespace), identity)
                    .withTimings(LEASE, RENEW_DEADLINE, RETRY))
            .build();
    return OperatorAssembly.onAws(settings, MotoServer.credentials())
        .onLostLeadership(() -> deposed.add(identity));
  }

  private OperatorAssembly.Running start(OperatorAssembly assembly) {
    var started = assembly.start(KubeApiServer.get().newClient());
    running.add(started);
    return started;
  }

  private String holder() {
    var lease =
        admin.leases().inNamespace(namespace).withName(LeaderElectionSettings.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double awsCalls(OperatorAssembly assembly) {
    return assembly.registry().find(AwsCalls.METER).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static double gauge(OperatorAssembly assembly) {
    return assembly.registry().get(Leadership.GAUGE).gauge().value();
  }

  private static String spec(String name) {
    return """
        selector: {matchLabels: {app: %s}}
        iam:
          statements:
          - actions: [s3:GetObject]
            resources: ["arn:aws:s3:::%s/*"]
        """
        .formatted(name, name);
  }
}
