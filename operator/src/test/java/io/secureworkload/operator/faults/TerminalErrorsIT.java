package io.secureworkload.operator.faults;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.FaultSizes;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workloads that cannot succeed until a person acts: the operator says so once and then keeps
 * quiet. Its AWS calls go through a counting proxy in front of moto. Sizes: {@link FaultSizes}.
 */
class TerminalErrorsIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration SWEEP_PERIOD = Duration.ofMinutes(10);

  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(PROXY.endpoint(), MOTO.endpoint(), SWEEP_PERIOD);

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  /**
   * Invariant: a terminal failure costs a bounded number of reconciliations and AWS calls, however
   * long it lasts, and records one Warning Event. M workloads (a third whose role name is taken by
   * an untagged role, a third asking for an escalation action the guardrails refuse, a third naming
   * a managed policy that does not exist) each reach {@code Stalled=True}; over the following
   * window the operator makes no AWS call and no reconciliation for them, and each has recorded
   * exactly one Warning Event.
   */
  @Test
  void terminalFailuresStayQuietForTheWholeWindow() throws InterruptedException {
    int size = FaultSizes.of(9, 51);
    var window = FaultSizes.of(Duration.ofSeconds(30), Duration.ofMinutes(10));
    var names = new ArrayList<String>();
    for (int i = 0; i < size; i++) {
      var name = "t" + i;
      names.add(name);
      if (i % 3 == 0) {
        var roleName = ENV.roleName(operator.getNamespace(), name);
        ENV.iamClient()
            .createRole(
                r ->
                    r.roleName(roleName)
                        .path("/secureworkload/")
                        .assumeRolePolicyDocument(trust()));
      }
      operator.create(workload(name, failing(i % 3, name)));
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> names.stream().allMatch(this::stalled));
    // Let the last status patches and Events land before the window starts.
    Thread.sleep(2000);
    long calls = PROXY.calls().total();
    long sweepCalls = sweepCalls();
    long reconciliations = ENV.reconciliationsStarted();
    var warnings = warningsPerWorkload();
    assertThat(reconciliations).as("JOSDK's count of started reconciliations is read").isPositive();

    Thread.sleep(window.toMillis());

    long windowSweepCalls = sweepCalls() - sweepCalls;
    long windowCalls = PROXY.calls().total() - calls - windowSweepCalls;
    long windowReconciliations = ENV.reconciliationsStarted() - reconciliations;
    var warningsAfter = warningsPerWorkload();
    System.out.printf(
        "[faults %s] terminal errors: %d workloads over %d s: %d AWS calls for them (%.3f/s)"
            + " besides %d by the account-wide AWS sweep (every %d s), %d reconciliations"
            + " (%.3f/s); Warning Events per workload %s%n",
        FaultSizes.label(),
        size,
        window.toSeconds(),
        windowCalls,
        windowCalls / (double) window.toSeconds(),
        windowSweepCalls,
        SWEEP_PERIOD.toSeconds(),
        windowReconciliations,
        windowReconciliations / (double) window.toSeconds(),
        warningsAfter.values().stream()
            .collect(Collectors.groupingBy(n -> n, Collectors.counting())));
    assertThat(windowCalls).as("AWS calls for the failing workloads in the window").isZero();
    // The sweep reads every role of the operator's path at once, one ListRoles and one
    // GetAccountAuthorizationDetails a period whatever fails, and requeues none of these.
    long sweeps = window.toMillis() / SWEEP_PERIOD.toMillis() + 1;
    assertThat(windowSweepCalls)
        .as("the sweep's calls in the window")
        .isLessThanOrEqualTo(2 * sweeps);
    assertThat(windowReconciliations).as("reconciliations in the window").isZero();
    assertThat(warningsAfter).isEqualTo(warnings);
    assertThat(warningsAfter)
        .hasSize(size)
        .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1L));
  }

  /** Three kinds of terminal failure: 0, a role name taken (made above); 1, a guardrail; 2, AWS. */
  private static String failing(int kind, String name) {
    var selector = "selector: {matchLabels: {app: " + name + "}}\n";
    return switch (kind) {
      case 0 -> selector;
      case 1 ->
          selector
              + "iam:\n  statements: [{actions: [\"iam:*\"], resources:"
              + " [\"arn:aws:iam::123456789012:role/x\"]}]\n";
      default ->
          selector
              + "iam:\n  managedPolicyArns: [\"arn:aws:iam::123456789012:policy/does-not-exist\"]\n";
    };
  }

  private boolean stalled(String name) {
    var workload = operator.get(SecureWorkload.class, name);
    return workload != null
        && workload.getStatus() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Map<String, Long> warningsPerWorkload() {
    return operator
        .getKubernetesClient()
        .v1()
        .events()
        .inNamespace(operator.getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(e -> "Warning".equals(e.getType()))
        .collect(
            Collectors.groupingBy(
                e -> e.getInvolvedObject().getName(),
                Collectors.summingLong(TerminalErrorsIT::count)));
  }

  private static long count(Event event) {
    return event.getCount() == null ? 1 : event.getCount();
  }

  private static String trust() {
    return PolicyDocuments.trustPolicy(
        "arn:aws:iam::123456789012:oidc-provider/x", "x", "ns", "sa");
  }

  private static long sweepCalls() {
    return PROXY.calls().total("ListRoles") + PROXY.calls().total("GetAccountAuthorizationDetails");
  }
}
