package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.outcome.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeletionTest {

  private static final String ROLE = "sw-prod-payments-api";
  private static final Instant DELETED = Instant.parse("2025-06-01T10:00:00Z");

  @Test
  void aRoleBeingDeletedIsSaidSoAndARetainedOneIsNamedAsKept() {
    var deleting = Deletion.inProgress(ROLE, false);
    var retained = Deletion.inProgress(ROLE, true);

    assertThat(deleting.reason()).isEqualTo(ConditionReason.Deleting);
    assertThat(deleting.terminal()).isFalse();
    assertThat(deleting.message())
        .isEqualTo("Deleting IAM role " + ROLE + " before the SecureWorkload goes");
    assertThat(retained.message())
        .contains("kept (deletionPolicy: Retain)")
        .contains("trust cut before the SecureWorkload goes");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DeleteRole|AccessDenied|iam:DeleteRole on the role (docs/operator-iam-policy.md)",
        "RemoveRoleFromInstanceProfile|AccessDenied|iam:RemoveRoleFromInstanceProfile on the role",
        "DeleteRole|DeleteConflict|Something still uses the role",
        "DeleteRole|UnmodifiableEntity|AWS protects this role",
        "DeleteRole|LimitExceeded|Fix what the AWS error names in AWS"
      })
  void aDeletionAPersonMustUnblockSaysWhatToDoAndStalls(
      String operation, String code, String advice) {
    var outcome =
        Deletion.failed(
            ROLE, false, AwsCallException.of(operation, code, "refused", false, false, null));

    assertThat(outcome.reason()).isEqualTo(ConditionReason.DeletionBlocked);
    assertThat(outcome.status()).isEqualTo(Condition.FALSE);
    assertThat(outcome.terminal()).isTrue();
    assertThat(outcome.message())
        .startsWith("IAM role " + ROLE + " cannot be deleted: " + operation + " failed: " + code)
        .contains(advice)
        .contains("retries with backoff")
        .contains("deletionPolicy: Retain");
  }

  @Test
  void throttlingIsPartOfDeletingNotABlock() {
    var outcome =
        Deletion.failed(
            ROLE,
            false,
            AwsCallException.of("DeleteRole", "Throttling", "slow down", true, false, null));

    assertThat(outcome.reason()).isEqualTo(ConditionReason.Deleting);
    assertThat(outcome.terminal()).isFalse();
    assertThat(outcome.message()).contains("Throttling").contains("retrying with backoff");
  }

  @Test
  void aRetainedRoleWhoseTrustCannotBeCutHoldsTheWorkloadAndSaysWhy() {
    var denied =
        Deletion.failed(
            ROLE,
            true,
            AwsCallException.of(
                "UpdateAssumeRolePolicy", "AccessDenied", "refused", false, false, null));
    var throttled =
        Deletion.failed(
            ROLE,
            true,
            AwsCallException.of(
                "UpdateAssumeRolePolicy", "Throttling", "slow down", true, false, null));

    assertThat(denied.reason()).isEqualTo(ConditionReason.DeletionBlocked);
    assertThat(denied.message())
        .startsWith("The trust of IAM role " + ROLE + " cannot be cut: UpdateAssumeRolePolicy")
        .contains("iam:UpdateAssumeRolePolicy on the role")
        .contains("once no ServiceAccount can assume the role it keeps")
        .doesNotContain("set spec.iam.deletionPolicy: Retain");
    assertThat(throttled.reason()).isEqualTo(ConditionReason.Deleting);
    assertThat(throttled.message())
        .startsWith("Cutting the trust of IAM role " + ROLE)
        .contains("retrying with backoff");
  }

  @ParameterizedTest
  @CsvSource({"0, 2", "1, 2", "2, 2", "3, 3", "10, 10", "299, 299", "300, 300", "3600, 300"})
  void retriesWaitAsLongAsTheDeletionHasLastedBetweenTwoSecondsAndFiveMinutes(
      long secondsSinceDeletion, long expectedSeconds) {
    assertThat(Deletion.retryAfter(DELETED, DELETED.plusSeconds(secondsSinceDeletion)))
        .isEqualTo(Duration.ofSeconds(expectedSeconds));
  }

  @Test
  void aClockBehindTheApiServerWaitsTheFirstRetry() {
    assertThat(Deletion.retryAfter(DELETED, DELETED.minusSeconds(30)))
        .isEqualTo(Deletion.FIRST_RETRY);
  }

  @Test
  void retriesWithinTenSecondsOfABlockAreFew() {
    // Attempts come at t, then t + retryAfter(t): from a first failure at 0.5 s, how many in 10 s?
    var attempt = DELETED.plusMillis(500);
    int attempts = 0;
    while (attempt.isBefore(DELETED.plusMillis(10_500))) {
      attempts++;
      attempt = attempt.plus(Deletion.retryAfter(DELETED, attempt));
    }
    assertThat(attempts).isEqualTo(4);
  }

  @Test
  void onlyADeletionsReadyConditionCountsAsReported() {
    assertThat(Deletion.isReported(null)).isFalse();
    assertThat(Deletion.isReported(withReady("True", "AllPartsReady"))).isFalse();
    assertThat(Deletion.isReported(withReady("False", "AwsRetrying"))).isFalse();
    assertThat(Deletion.isReported(withReady("False", "Deleting"))).isTrue();
    assertThat(Deletion.isReported(withReady("False", "DeletionBlocked"))).isTrue();
  }

  private static SecureWorkloadStatus withReady(String status, String reason) {
    var workloadStatus = new SecureWorkloadStatus();
    workloadStatus.setConditions(
        List.of(Condition.builder().type("Ready").status(status).reason(reason).build()));
    return workloadStatus;
  }
}
