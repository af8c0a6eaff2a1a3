package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.podidentity.PodIdentity;
import io.secureworkload.operator.testsupport.FakeIamAccounts;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A namespace moved from the operator's own account to another, reconciliation by reconciliation as
 * the workflow runs them (the ServiceAccount, then the IAM role, then the status): the new role
 * exists before the ServiceAccount names it, and the old role goes only after the switch, once no
 * pod from before it runs or the grace period has passed.
 */
class AccountMoveTest {

  private static final String OTHER = "222222222222";
  private static final Duration GRACE = Duration.ofHours(12);

  private final FakeIamAccounts accounts =
      new FakeIamAccounts(new FakeIamRoles(), TestSettings.ISSUER);
  private final OperatorSettings settings =
      TestSettings.inRegion("us-west-2").toBuilder().allowUnboundedRoles(true).build();
  private final WorkloadRole workloadRole = new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT);
  private final List<Pod> pods = new ArrayList<>();
  private Instant now = Instant.parse("2026-12-06T10:00:00Z");
  private final DependentServices services =
      new DependentServices(
          settings,
          workloadRole,
          accounts,
          new Admission(settings, workloadRole, accounts),
          (context, namespace, serviceAccount) ->
              pods.stream()
                  .filter(pod -> namespace.equals(pod.getMetadata().getNamespace()))
                  .filter(pod -> serviceAccount.equals(pod.getSpec().getServiceAccountName()))
                  .toList(),
          new Clock() {
            @Override
            public Instant instant() {
              return now;
            }

            @Override
            public java.time.ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }
          },
          PodIdentity.none());
  private final ServiceAccountDependentResource serviceAccount =
      new ServiceAccountDependentResource(services);
  private final IamRoleDependentResource iamRole = new IamRoleDependentResource(services);
  private final SecureWorkload workload = TestWorkloads.minimal();
  private final String roleName = workloadRole.name(workload);
  private final String homeArn = workloadRole.arn(workload, FakeIamRoles.ACCOUNT);
  private final String otherArn = workloadRole.arn(workload, OTHER);
  private final List<String> events = new ArrayList<>();

  /** The ARN the ServiceAccount was given by the last reconciliation. */
  private String serviceAccountArn;

  private final SecureWorkloadPolicy movedToOther =
      policy(
          """
          mode: Enforce
          account:
            id: "222222222222"
            roleArn: arn:aws:iam::222222222222:role/secure-workload-operator
          """);

  @Test
  void theNewRoleExistsBeforeTheServiceAccountNamesItAndTheOldGoesOnlyAfterTheSwitch() {
    reconcile();
    assertThat(serviceAccountArn).isEqualTo(homeArn);
    assertThat(home().role(roleName)).isPresent();

    var first = reconcile(movedToOther);
    assertThat(other().role(roleName)).as("the new role").isPresent();
    assertThat(serviceAccountArn).as("not switched before the new role exists").isEqualTo(homeArn);
    assertThat(workload.getStatus().getRoleArn()).isEqualTo(otherArn);
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(homeArn);
    assertThat(workload.getStatus().getPreviousRole().getSwitchedAt()).isNull();
    assertThat(first.recheckAfter()).isEqualTo(AccountMove.UNTIL_SWITCH);

    var second = reconcile(movedToOther);
    assertThat(serviceAccountArn).isEqualTo(otherArn);
    assertThat(home().role(roleName)).as("no pod held it: gone right after the switch").isEmpty();
    assertThat(workload.getStatus().getPreviousRole()).isNull();
    assertThat(second.recheckAfter()).isNull();
    // The creations are noted for the reconciliation's one Event; the move's end is an Event of its
    // own, naming the old role.
    assertThat(events).containsExactly("Deleted");
  }

  @Test
  void podsFromBeforeTheSwitchKeepTheOldRoleUntilTheyAreGone() {
    reconcile();
    var old = pod("api-1", now.minusSeconds(60));
    pods.add(old);
    reconcile(movedToOther);
    now = now.plusSeconds(5);

    var switched = reconcile(movedToOther);

    assertThat(serviceAccountArn).isEqualTo(otherArn);
    assertThat(home().role(roleName)).isPresent();
    assertThat(workload.getStatus().getPreviousRole().getSwitchedAt()).isEqualTo(now.toString());
    assertThat(switched.recheckAfter()).isEqualTo(PodsBeforeSwitch.LONGEST_WAIT);

    now = now.plusSeconds(60);
    pods.add(pod("api-2", now));
    assertThat(reconcile(movedToOther).recheckAfter())
        .as("a pod started after the switch holds no old role, the one before still does")
        .isEqualTo(PodsBeforeSwitch.LONGEST_WAIT);
    assertThat(home().role(roleName)).isPresent();

    pods.remove(old);
    now = now.plusSeconds(60);
    var done = reconcile(movedToOther);

    assertThat(home().role(roleName)).isEmpty();
    assertThat(other().role(roleName)).isPresent();
    assertThat(workload.getStatus().getPreviousRole()).isNull();
    assertThat(done.recheckAfter()).isNull();
  }

  @Test
  void finishedPodsHoldNoRole() {
    reconcile();
    var finished = pod("job-1", now.minusSeconds(60));
    finished.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
    finished.getStatus().setPhase("Succeeded");
    pods.add(finished);
    reconcile(movedToOther);

    reconcile(movedToOther);

    assertThat(home().role(roleName)).isEmpty();
  }

  @Test
  void theGracePeriodEndsTheWaitWhateverStillRuns() {
    reconcile();
    pods.add(pod("api-1", now.minusSeconds(60)));
    reconcile(movedToOther);
    reconcile(movedToOther);
    var switchedAt = Instant.parse(workload.getStatus().getPreviousRole().getSwitchedAt());

    now = switchedAt.plus(GRACE).minusSeconds(20);
    assertThat(reconcile(movedToOther).recheckAfter())
        .as("never later than the grace period's end")
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(home().role(roleName)).isPresent();

    now = switchedAt.plus(GRACE);
    var done = reconcile(movedToOther);

    assertThat(home().role(roleName)).isEmpty();
    assertThat(workload.getStatus().getPreviousRole()).isNull();
    assertThat(done.recheckAfter()).isNull();
  }

  @Test
  void anOldAccountThatCannotBeReachedKeepsThePreviousRoleAndSaysSo() {
    // The move is from the other account back to the operator's own.
    reconcile(movedToOther);
    accounts.makeUnreachable(OTHER, "AccessDenied: not authorized to perform sts:AssumeRole");
    reconcile();
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(otherArn);

    var error = reconcileFailing();

    assertThat(Failure.classify(error).reason()).isEqualTo(ConditionReason.AccountUnavailable);
    assertThat(error).hasMessageContaining("account " + OTHER);
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(otherArn);
    assertThat(workload.getStatus().getPreviousRole().getSwitchedAt()).isNotNull();
    assertThat(serviceAccountArn).isEqualTo(homeArn);
    assertThat(other().role(roleName)).isPresent();

    accounts.makeReachable(OTHER);
    reconcile();
    assertThat(other().role(roleName)).isEmpty();
    assertThat(workload.getStatus().getPreviousRole()).isNull();
  }

  @Test
  void anOldAccountNoPolicyNamesAnyMoreIsUnavailableNotForgotten() {
    var fresh = new FakeIamAccounts(new FakeIamRoles(), TestSettings.ISSUER);
    var move =
        new AccountMove(
            fresh,
            workloadRole,
            GRACE,
            AccountMove.ServiceAccountPods.API_SERVER,
            Clock.systemUTC());

    assertThatThrownBy(() -> move.reachable(OTHER, context()))
        .isInstanceOf(AccountUnavailableException.class)
        .hasMessageContaining("no SecureWorkloadPolicy names this account");
    assertThat(move.reachable(OTHER, context(movedToOther)).id()).isEqualTo(OTHER);
    assertThat(move.reachable(FakeIamRoles.ACCOUNT, context()).id())
        .isEqualTo(FakeIamRoles.ACCOUNT);
  }

  @Test
  void aWorkloadDeletedDuringAMoveTakesBothRolesWithIt() {
    reconcile();
    pods.add(pod("api-1", now.minusSeconds(60)));
    reconcile(movedToOther);
    reconcile(movedToOther);
    assertThat(home().role(roleName)).isPresent();
    assertThat(other().role(roleName)).isPresent();

    iamRole.delete(workload, context(movedToOther));

    assertThat(home().role(roleName)).isEmpty();
    assertThat(other().role(roleName)).isEmpty();
  }

  @Test
  void aMoveBackBeforeTheOldRoleWentKeepsItAsTheWorkloadsRole() {
    reconcile();
    pods.add(pod("api-1", now.minusSeconds(60)));
    reconcile(movedToOther);
    reconcile(movedToOther);

    reconcile();

    assertThat(workload.getStatus().getRoleArn()).isEqualTo(homeArn);
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(otherArn);
    assertThat(home().role(roleName)).isPresent();
  }

  @Test
  void aSecondMoveWaitsUntilTheFirstOneLeftNoRoleBehind() {
    var third =
        policy(
            """
            mode: Enforce
            account:
              id: "333333333333"
              roleArn: arn:aws:iam::333333333333:role/secure-workload-operator
            """);
    reconcile();
    var old = pod("api-1", now.minusSeconds(60));
    pods.add(old);
    reconcile(movedToOther);
    reconcile(movedToOther);

    reconcile(third);
    assertThat(accounts.iam("333333333333").role(roleName)).isEmpty();
    assertThat(workload.getStatus().getRoleArn()).isEqualTo(otherArn);
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(homeArn);

    pods.remove(old);
    assertThat(reconcile(third).recheckAfter()).isEqualTo(AccountMove.UNTIL_SWITCH);
    assertThat(home().role(roleName)).isEmpty();
    reconcile(third);
    assertThat(accounts.iam("333333333333").role(roleName)).isPresent();
    assertThat(workload.getStatus().getPreviousRole().getArn()).isEqualTo(otherArn);
  }

  /** One reconciliation as the workflow runs it, then the status the reconciler would write. */
  private AccountMove.Step reconcile(SecureWorkloadPolicy... policies) {
    var context = context(policies);
    run(context);
    return AccountMove.step(context).orElseThrow();
  }

  private Exception reconcileFailing(SecureWorkloadPolicy... policies) {
    var context = context(policies);
    try {
      run(context);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the reconciliation did not fail");
  }

  private void run(Context<SecureWorkload> context) {
    serviceAccountArn =
        serviceAccount
            .desired(workload, context)
            .getMetadata()
            .getAnnotations()
            .get(ServiceAccountDependentResource.ROLE_ARN);
    try {
      iamRole.reconcile(workload, context);
    } finally {
      workload.setStatus(status(context));
    }
  }

  /** What the reconciler keeps of the reconciliation in the status: the role and the move. */
  private SecureWorkloadStatus status(Context<SecureWorkload> context) {
    var previous = workload.getStatus();
    var status = new SecureWorkloadStatus();
    var arn =
        IamRoleDependentResource.reconciledRole(context)
            .map(ActualRole::arn)
            .orElse(previous == null ? null : previous.getRoleArn());
    status.setRoleArn(arn);
    status.setPreviousRole(AccountMove.previousRole(AccountMove.step(context), previous, arn));
    return status;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Context<SecureWorkload> context(SecureWorkloadPolicy... policies) {
    var shared = new HashMap<Object, Object>();
    var workflow = mock(ManagedWorkflowAndDependentResourceContext.class);
    when(workflow.get(any(), any()))
        .thenAnswer(call -> Optional.ofNullable(shared.get(call.getArgument(0))));
    when(workflow.put(any(), any()))
        .thenAnswer(call -> shared.put(call.getArgument(0), call.getArgument(1)));
    var context = TestContexts.admitting(workflow, policies);
    var client = mock(KubernetesClient.class, RETURNS_DEEP_STUBS);
    MixedOperation events = mock(MixedOperation.class);
    NonNamespaceOperation inNamespace = mock(NonNamespaceOperation.class);
    when(client.v1().events()).thenReturn(events);
    when(events.inNamespace(anyString())).thenReturn(inNamespace);
    when(inNamespace.resource(any()))
        .thenAnswer(
            call -> {
              this.events.add(((Event) call.getArgument(0)).getReason());
              return mock(Resource.class);
            });
    when(context.getClient()).thenReturn(client);
    return context;
  }

  private FakeIamRoles home() {
    return accounts.iam(FakeIamRoles.ACCOUNT);
  }

  private FakeIamRoles other() {
    return accounts.iam(OTHER);
  }

  private static Pod pod(String name, Instant created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("payments")
        .withCreationTimestamp(created.toString())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName("api")
        .endSpec()
        .build();
  }

  private static SecureWorkloadPolicy policy(String specYaml) {
    var yaml =
        "apiVersion: secureworkload.io/v1\nkind: SecureWorkloadPolicy\nmetadata:\n  name: moved\n"
            + "spec:\n"
            + ("namespaces: [payments]\n" + specYaml).indent(2);
    return Serialization.unmarshal(yaml, SecureWorkloadPolicy.class);
  }
}
