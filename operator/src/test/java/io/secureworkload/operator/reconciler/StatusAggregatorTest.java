package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.PreviousRole;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.AccountMove;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.outcome.PartOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.250Z");
  private static final Instant T1 = Instant.parse("2025-06-01T10:05:00Z");
  private static final String ROLE_NAME = "sw-prod.payments.api";
  private static final String ROLE_ARN =
      "arn:aws:iam::123456789012:role/secureworkload/sw-prod.payments.api";

  private static final String OTHER_ACCOUNT_ARN =
      "arn:aws:iam::222222222222:role/secureworkload/sw-prod.payments.api";
  private static final Part IAM_ROLE =
      new Part("IAMRoleReady", "IAM role", null, ConditionReason.RoleNotOwned);
  private static final Part SERVICE_ACCOUNT =
      new Part(
          "ServiceAccountReady", "ServiceAccount", null, ConditionReason.ServiceAccountNotOwned);

  private static final PartOutcome IN_SYNC =
      PartOutcome.ready(ConditionReason.InSync, "matches the spec");
  private static final PartOutcome ACCESS_DENIED =
      PartOutcome.failed(
          "IAM role",
          new Failure(
              ConditionReason.AwsAccessDenied,
              "CreateRole failed: AccessDenied: iam:CreateRole denied",
              false,
              false));
  private static final PartOutcome NOT_OWNED =
      PartOutcome.failed(
          "ServiceAccount",
          new Failure(
              ConditionReason.ServiceAccountNotOwned,
              "ServiceAccount api already exists",
              true,
              true));
  private static final PartOutcome WAITING =
      PartOutcome.pending(
          ConditionReason.WaitingForDependencies, "ServiceAccount waits for the IAM role");

  @Test
  void readyIsTrueWhenEveryPartIsTrue() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    assertThat(condition(status, "Ready").getStatus()).isEqualTo(Condition.TRUE);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("AllPartsReady");
    assertThat(condition(status, "IAMRoleReady").getStatus()).isEqualTo(Condition.TRUE);
    assertThat(condition(status, "ServiceAccountReady").getStatus()).isEqualTo(Condition.TRUE);
  }

  @Test
  void readyIsFalseWithTheFailingPartsReasonWhileAnotherPartIsTrue() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, NOT_OWNED));

    var ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
    assertThat(ready.getReason()).isEqualTo("ServiceAccountNotOwned");
    assertThat(ready.getMessage()).isEqualTo("ServiceAccount api already exists");
    assertThat(condition(status, "IAMRoleReady").getStatus()).isEqualTo(Condition.TRUE);
    assertThat(condition(status, "ServiceAccountReady").getStatus()).isEqualTo(Condition.FALSE);
  }

  @Test
  void readyNamesTheFailingPartRatherThanAPendingOne() {
    var status = aggregate(T0, null, 1, both(ACCESS_DENIED, WAITING));

    var ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
    assertThat(ready.getReason()).isEqualTo("AwsAccessDenied");
    assertThat(ready.getMessage())
        .isEqualTo("IAM role: CreateRole failed: AccessDenied: iam:CreateRole denied");
  }

  @Test
  void readyIsFalseWhileAPartIsUnknown() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, WAITING));

    var ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
    assertThat(ready.getReason()).isEqualTo("WaitingForDependencies");
    assertThat(ready.getMessage()).isEqualTo("ServiceAccount waits for the IAM role");
    assertThat(condition(status, "ServiceAccountReady").getStatus()).isEqualTo(Condition.UNKNOWN);
  }

  @Test
  void readyComesFirstThenOneConditionPerReportedPart() {
    var status = aggregate(T0, null, 1, Map.of(IAM_ROLE, ACCESS_DENIED));

    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Reconciling", "Stalled", "IAMRoleReady");
  }

  @Test
  void readyStatusHasNeitherReconcilingNorStalled() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    assertThat(condition(status, "Reconciling").getStatus()).isEqualTo(Condition.FALSE);
    assertThat(condition(status, "Stalled").getStatus()).isEqualTo(Condition.FALSE);
  }

  @Test
  void pendingOrRetriedWorkIsReconcilingNotStalled() {
    for (var parts : java.util.List.of(both(IN_SYNC, WAITING), both(ACCESS_DENIED, IN_SYNC))) {
      var status = aggregate(T0, null, 1, parts);

      assertThat(condition(status, "Ready").getStatus()).isEqualTo(Condition.FALSE);
      assertThat(condition(status, "Reconciling").getStatus()).isEqualTo(Condition.TRUE);
      assertThat(condition(status, "Reconciling").getReason())
          .isEqualTo(condition(status, "Ready").getReason());
      assertThat(condition(status, "Stalled").getStatus()).isEqualTo(Condition.FALSE);
    }
  }

  @Test
  void terminalFailureIsStalledNotReconciling() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, NOT_OWNED));

    assertThat(condition(status, "Stalled").getStatus()).isEqualTo(Condition.TRUE);
    assertThat(condition(status, "Stalled").getReason()).isEqualTo("ServiceAccountNotOwned");
    assertThat(condition(status, "Stalled").getMessage())
        .isEqualTo("ServiceAccount api already exists");
    assertThat(condition(status, "Reconciling").getStatus()).isEqualTo(Condition.FALSE);
  }

  @Test
  void aFailureNoPartCanBeBlamedForMakesReadyFalse() {
    var status =
        new StatusAggregator(clock(T0))
            .aggregate(
                null,
                1,
                Optional.empty(),
                both(IN_SYNC, IN_SYNC),
                Optional.of(
                    new Failure(
                        ConditionReason.ReconcileError, "informer not synced", false, false)),
                ROLE_NAME,
                ROLE_ARN,
                "api");

    assertThat(condition(status, "Ready").getReason()).isEqualTo("ReconcileError");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("SecureWorkload: informer not synced");
    assertThat(condition(status, "Reconciling").getStatus()).isEqualTo(Condition.TRUE);
  }

  @Test
  void everyConditionAndTheStatusCarryTheObservedGeneration() {
    var status = aggregate(T0, null, 7, both(IN_SYNC, WAITING));

    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getConditions())
        .hasSize(5)
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7L));
  }

  @Test
  void newConditionsTransitionNowToTheSecond() {
    var status = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T10:00:00Z"));
  }

  @Test
  void lastTransitionTimeIsKeptWhileTheStatusStaysTheSame() {
    var first = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    var second = aggregate(T1, first, 2, both(IN_SYNC, IN_SYNC));

    assertThat(second.getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T10:00:00Z"))
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
  }

  @Test
  void lastTransitionTimeMovesWhenTheStatusFlips() {
    var first = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    var second = aggregate(T1, first, 1, both(IN_SYNC, NOT_OWNED));

    assertThat(condition(second, "Ready").getLastTransitionTime())
        .isEqualTo("2025-06-01T10:05:00Z");
    assertThat(condition(second, "ServiceAccountReady").getLastTransitionTime())
        .isEqualTo("2025-06-01T10:05:00Z");
    assertThat(condition(second, "IAMRoleReady").getLastTransitionTime())
        .isEqualTo("2025-06-01T10:00:00Z");
  }

  @Test
  void lastTransitionTimeIsKeptWhenOnlyTheReasonChanges() {
    var first = aggregate(T0, null, 1, both(IN_SYNC, WAITING));
    var notReady = PartOutcome.pending(ConditionReason.NotReady, "not ready yet");

    var second = aggregate(T1, first, 1, both(IN_SYNC, notReady));

    var serviceAccount = condition(second, "ServiceAccountReady");
    assertThat(serviceAccount.getReason()).isEqualTo("NotReady");
    assertThat(serviceAccount.getLastTransitionTime()).isEqualTo("2025-06-01T10:00:00Z");
  }

  @Test
  void sameInputsGiveAnEqualStatusSoNoPatchIsNeeded() {
    var first = aggregate(T0, null, 3, both(IN_SYNC, NOT_OWNED));

    var second = aggregate(T1, first, 3, both(IN_SYNC, NOT_OWNED));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void roleArnIsKeptFromThePreviousStatusWhenNotGiven() {
    var first = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    var second =
        new StatusAggregator(clock(T1))
            .aggregate(
                first,
                2,
                Optional.empty(),
                Map.of(IAM_ROLE, ACCESS_DENIED),
                Optional.empty(),
                ROLE_NAME,
                null,
                "api");

    assertThat(second.getRoleArn()).isEqualTo(ROLE_ARN);
  }

  @Test
  void roleArnGivenReplacesThePreviousOne() {
    var first = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));
    var newArn = "arn:aws:iam::123456789012:role/secureworkload/other";

    var second =
        new StatusAggregator(clock(T1))
            .aggregate(
                first,
                2,
                Optional.empty(),
                both(IN_SYNC, IN_SYNC),
                Optional.empty(),
                ROLE_NAME,
                newArn,
                "api");

    assertThat(second.getRoleArn()).isEqualTo(newArn);
  }

  @Test
  void roleArnIsAbsentWithoutPreviousStatusOrRole() {
    var status =
        new StatusAggregator(clock(T0))
            .aggregate(
                null,
                1,
                Optional.empty(),
                Map.of(IAM_ROLE, ACCESS_DENIED),
                Optional.empty(),
                ROLE_NAME,
                null,
                "api");

    assertThat(status.getRoleArn()).isNull();
    assertThat(status.getRoleName()).isEqualTo(ROLE_NAME);
    assertThat(status.getServiceAccountName()).isEqualTo("api");
  }

  @Test
  void aDeletionMakesReadyFalseAndReconcilingTrueAndKeepsThePartsItIsNotAbout() {
    var ready = aggregate(T0, null, 3, both(IN_SYNC, IN_SYNC));
    var deleting = PartOutcome.pending(ConditionReason.Deleting, "Deleting IAM role " + ROLE_NAME);

    var status =
        new StatusAggregator(clock(T1)).deleting(ready, 3, deleting, Map.of(IAM_ROLE, deleting));

    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Ready", "False", "Deleting"),
            tuple("Reconciling", "True", "Deleting"),
            tuple("Stalled", "False", "Deleting"),
            tuple("IAMRoleReady", "Unknown", "Deleting"),
            tuple("ServiceAccountReady", "True", "InSync"));
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("Deleting IAM role " + ROLE_NAME);
    assertThat(condition(status, "Ready").getLastTransitionTime())
        .isEqualTo("2025-06-01T10:05:00Z");
    assertThat(condition(status, "ServiceAccountReady"))
        .isEqualTo(condition(ready, "ServiceAccountReady"));
    assertThat(status.getRoleArn()).isEqualTo(ROLE_ARN);
    assertThat(status.getRoleName()).isEqualTo(ROLE_NAME);
    assertThat(status.getServiceAccountName()).isEqualTo("api");
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void aBlockedDeletionIsStalledAndKeepsTheTimeReadyTurnedFalse() {
    var deleting = PartOutcome.pending(ConditionReason.Deleting, "Deleting IAM role " + ROLE_NAME);
    var started =
        new StatusAggregator(clock(T0))
            .deleting(
                aggregate(T0, null, 3, both(IN_SYNC, IN_SYNC)),
                3,
                deleting,
                Map.of(IAM_ROLE, deleting));
    var blocked =
        PartOutcome.blocked(
            ConditionReason.DeletionBlocked, "DeleteRole failed: AccessDenied: not allowed");

    var status =
        new StatusAggregator(clock(T1)).deleting(started, 3, blocked, Map.of(IAM_ROLE, blocked));

    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Ready", "False", "DeletionBlocked"),
            tuple("Reconciling", "False", "DeletionBlocked"),
            tuple("Stalled", "True", "DeletionBlocked"),
            tuple("IAMRoleReady", "False", "DeletionBlocked"),
            tuple("ServiceAccountReady", "True", "InSync"));
    assertThat(condition(status, "Stalled").getMessage()).contains("AccessDenied");
    assertThat(condition(status, "Ready").getLastTransitionTime())
        .isEqualTo(condition(started, "Ready").getLastTransitionTime());
  }

  @Test
  void aDeletionIsNeverReadyWhateverTheOutcomeSays() {
    var status =
        new StatusAggregator(clock(T0))
            .deleting(
                null,
                1,
                PartOutcome.ready(ConditionReason.Deleting, "nothing left to delete"),
                Map.of());

    assertThat(condition(status, "Ready").getStatus()).isEqualTo(Condition.FALSE);
    assertThat(condition(status, "Reconciling").getStatus()).isEqualTo(Condition.TRUE);
    assertThat(status.getRoleArn()).isNull();
  }

  @Test
  void theRoleLeftInTheOldAccountIsCarriedUntilAStepSaysItWent() {
    var moving = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));
    moving.setRoleArn(OTHER_ACCOUNT_ARN);
    moving.setPreviousRole(new PreviousRole(ROLE_ARN, "2025-06-01T10:00:00Z"));

    var roleNotReached = aggregate(T1, moving, 1, both(ACCESS_DENIED, IN_SYNC), null, null);
    var stillWaiting =
        aggregate(
            T1,
            moving,
            1,
            both(IN_SYNC, IN_SYNC),
            OTHER_ACCOUNT_ARN,
            new AccountMove.Step(moving.getPreviousRole(), Duration.ofMinutes(1)));
    var gone =
        aggregate(
            T1,
            moving,
            1,
            both(IN_SYNC, IN_SYNC),
            OTHER_ACCOUNT_ARN,
            new AccountMove.Step(null, null));
    var deleting =
        new StatusAggregator(clock(T1)).deleting(moving, 1, IN_SYNC, Map.of(IAM_ROLE, IN_SYNC));

    assertThat(roleNotReached.getRoleArn()).isEqualTo(OTHER_ACCOUNT_ARN);
    assertThat(roleNotReached.getPreviousRole()).isEqualTo(moving.getPreviousRole());
    assertThat(stillWaiting.getPreviousRole()).isEqualTo(moving.getPreviousRole());
    assertThat(gone.getPreviousRole()).isNull();
    assertThat(deleting.getPreviousRole()).isEqualTo(moving.getPreviousRole());
  }

  @Test
  void aRoleMadeInAnotherAccountLeavesTheOldOneBehindEvenWhenTheStepWasNotReached() {
    var before = aggregate(T0, null, 1, both(IN_SYNC, IN_SYNC));

    var after = aggregate(T1, before, 1, both(ACCESS_DENIED, IN_SYNC), OTHER_ACCOUNT_ARN, null);

    assertThat(after.getRoleArn()).isEqualTo(OTHER_ACCOUNT_ARN);
    assertThat(after.getPreviousRole()).isEqualTo(new PreviousRole(ROLE_ARN, null));
  }

  private static SecureWorkloadStatus aggregate(
      Instant now,
      SecureWorkloadStatus previous,
      long generation,
      Map<Part, PartOutcome> parts,
      String roleArn,
      AccountMove.Step move) {
    return new StatusAggregator(clock(now))
        .aggregate(
            previous,
            generation,
            Optional.empty(),
            parts,
            Optional.empty(),
            ROLE_NAME,
            roleArn,
            Optional.ofNullable(move),
            previous == null ? null : previous.getIdentity(),
            "api");
  }

  private static SecureWorkloadStatus aggregate(
      Instant now, SecureWorkloadStatus previous, long generation, Map<Part, PartOutcome> parts) {
    return new StatusAggregator(clock(now))
        .aggregate(
            previous,
            generation,
            Optional.empty(),
            parts,
            Optional.empty(),
            ROLE_NAME,
            ROLE_ARN,
            "api");
  }

  private static Map<Part, PartOutcome> both(PartOutcome iamRole, PartOutcome serviceAccount) {
    var parts = new LinkedHashMap<Part, PartOutcome>();
    parts.put(IAM_ROLE, iamRole);
    parts.put(SERVICE_ACCOUNT, serviceAccount);
    return parts;
  }

  private static Clock clock(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  private static Condition condition(SecureWorkloadStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status));
  }
}
