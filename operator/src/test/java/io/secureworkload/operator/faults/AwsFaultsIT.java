package io.secureworkload.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator when IAM throttles, fails or is gone: its AWS calls go through a fault proxy in
 * front of moto, which injects the faults and counts every call. Sizes: {@link FaultSizes}.
 */
class AwsFaultsIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY =
      FaultProxyExtension.inFrontOf(MOTO).seed(10).startedEagerly();

  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(PROXY.endpoint(), MOTO.endpoint(), Duration.ofMinutes(10));

  private static final Duration TIMEOUT = Duration.ofMinutes(FaultSizes.of(3, 10));

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  /**
   * Invariant: throttling and server errors slow a rollout down but neither stop it nor make it
   * spin. N workloads are rolled out once with IAM clean, then N more with 20 % of IAM calls
   * answered {@code Throttling} and 5 % {@code ServiceUnavailable} throughout: all converge, with
   * at most twice the IAM calls of the clean rollout (both measured here, each attempt the SDK
   * retries counted).
   */
  @Test
  void underThrottlingAndServerErrorsEveryWorkloadConvergesWithAtMostTwiceTheCalls() {
    int size = FaultSizes.of(15, 100);
    long clean = rollOut("clean", size);

    PROXY.add(FaultRule.inject(Fault.throttling()).forService("iam").withProbability(0.20));
    PROXY.add(
        FaultRule.inject(Fault.serviceUnavailable()).forService("iam").withProbability(0.05 / 0.8));
    long faulted = rollOut("faulted", size);

    System.out.printf(
        "[faults %s] throttling 20%% + 5xx 5%%: %d workloads, IAM calls clean %d, faulted %d"
            + " (%.2fx), %s%n",
        FaultSizes.label(), size, clean, faulted, (double) faulted / clean, PROXY.calls());
    assertThat(faulted).as("calls under faults").isLessThanOrEqualTo(2 * clean);
  }

  /**
   * Invariant: an IAM outage is reported, waited out with backoff, and does not hold up the
   * Kubernetes parts. During an outage (every IAM call answered 503), workloads applied at its
   * start say {@code AwsRetrying} with the AWS error code, their NetworkPolicies are written
   * anyway, the operator makes fewer IAM calls in the second half of the outage than in the first,
   * and every workload is Ready once IAM is back.
   */
  @Test
  void duringAnIamOutageConditionsNameTheCodeCallsBackOffAndAllConvergeAfter()
      throws InterruptedException {
    int size = 5;
    var outage = FaultSizes.of(Duration.ofSeconds(20), Duration.ofMinutes(2));
    PROXY.add(FaultRule.inject(Fault.serviceUnavailable()).forService("iam").forDuration(outage));
    long start = System.nanoTime();
    var names = names("outage", size);
    names.forEach(name -> operator.create(Rollout.workload(name)));

    await()
        .atMost(outage)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              for (var name : names) {
                var role = condition(name, "IAMRoleReady");
                assertThat(role).as(name).isNotNull();
                assertThat(role.getReason()).as(name).isEqualTo("AwsRetrying");
                assertThat(role.getMessage()).as(name).contains("ServiceUnavailable");
              }
              assertThat(
                      operator
                          .getKubernetesClient()
                          .network()
                          .networkPolicies()
                          .inNamespace(operator.getNamespace())
                          .list()
                          .getItems())
                  .as("NetworkPolicies written during the outage")
                  .hasSizeGreaterThanOrEqualTo(size);
            });
    long sinceStart = Duration.ofNanos(System.nanoTime() - start).toMillis();
    long half = outage.toMillis() / 2;
    Thread.sleep(Math.max(0, half - sinceStart));
    long firstHalf = PROXY.calls().total();
    Thread.sleep(
        Math.max(0, outage.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis()));
    long secondHalf = PROXY.calls().total() - firstHalf;

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> names.stream().allMatch(name -> WorkloadAssertions.isReady(get(name))));
    System.out.printf(
        "[faults %s] IAM outage of %d s: %d workloads, IAM calls first half %d, second half %d,"
            + " all Ready %d s after the outage began%n",
        FaultSizes.label(),
        outage.toSeconds(),
        size,
        firstHalf,
        secondHalf,
        Duration.ofNanos(System.nanoTime() - start).toSeconds());
    assertThat(secondHalf)
        .as("backoff: calls in the second half of the outage")
        .isLessThan(firstHalf);
  }

  /** Applies the workloads and waits for them; the IAM calls made meanwhile. */
  private long rollOut(String prefix, int size) {
    long before = PROXY.calls().total();
    var names = names(prefix, size);
    names.forEach(name -> operator.create(Rollout.workload(name)));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> names.stream().allMatch(name -> WorkloadAssertions.isReady(get(name))));
    return PROXY.calls().total() - before;
  }

  private static List<String> names(String prefix, int size) {
    return IntStream.range(0, size).mapToObj(i -> prefix + i).toList();
  }

  private SecureWorkload get(String name) {
    return operator.get(SecureWorkload.class, name);
  }

  private Condition condition(String name, String type) {
    var workload = get(name);
    if (workload == null || workload.getStatus() == null) {
      return null;
    }
    return workload.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
