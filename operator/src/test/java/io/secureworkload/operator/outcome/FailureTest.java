package io.secureworkload.operator.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.podidentity.AssociationQuotaReachedException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureTest {

  @Test
  void terminalExceptionIsTerminalWithItsOwnReasonAndNamesItsObject() {
    var failure =
        Failure.classify(
            new TerminalException(ConditionReason.RoleNotOwned, "IAM role exists untagged"));

    assertThat(failure)
        .isEqualTo(
            new Failure(ConditionReason.RoleNotOwned, "IAM role exists untagged", true, true));
  }

  @Test
  void aFullPodIdentityQuotaIsRetriedUnderItsOwnReasonEvenWhenWrapped() {
    var quota = new AssociationQuotaReachedException("prod", 5000, 5000);

    var failure = Failure.classify(new RuntimeException("the workflow failed", quota));

    assertThat(failure)
        .isEqualTo(
            new Failure(
                ConditionReason.PodIdentityAssociationQuotaReached,
                quota.getMessage(),
                false,
                true));
  }

  @Test
  void throttlingIsRetriedAndTheCodeStaysInTheMessage() {
    var failure = Failure.classify(aws("Throttling", true));

    assertThat(failure.terminal()).isFalse();
    assertThat(failure.reason()).isEqualTo(ConditionReason.AwsRetrying);
    assertThat(failure.message()).isEqualTo("CreateRole failed: Throttling: details");
    assertThat(failure.describesObject()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AccessDenied",
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken"
      })
  void errorsAnAdministratorFixesOutsideTheSpecAreRetried(String code) {
    var failure = Failure.classify(aws(code, false));

    assertThat(failure.terminal()).isFalse();
    assertThat(failure.reason()).isEqualTo(ConditionReason.AwsAccessDenied);
    assertThat(failure.message()).contains(code);
  }

  @Test
  void malformedPolicyIsTerminalAsAwsRejectedWithTheCodeInTheMessage() {
    var failure = Failure.classify(aws("MalformedPolicyDocument", false));

    assertThat(failure.terminal()).isTrue();
    assertThat(failure.reason()).isEqualTo(ConditionReason.AwsRejected);
    assertThat(failure.message()).contains("MalformedPolicyDocument");
  }

  @Test
  void noAnswerFromAwsIsRetried() {
    var failure = Failure.classify(aws("ClientError", true));

    assertThat(failure.reason()).isEqualTo(ConditionReason.AwsRetrying);
    assertThat(failure.terminal()).isFalse();
  }

  @Test
  void nestedAwsErrorIsUnwrapped() {
    var wrapped =
        new IllegalStateException(
            "workflow failed", new CompletionException(aws("MalformedPolicyDocument", false)));

    var failure = Failure.classify(wrapped);

    assertThat(failure.reason()).isEqualTo(ConditionReason.AwsRejected);
    assertThat(failure.terminal()).isTrue();
  }

  @Test
  void nestedTerminalExceptionIsUnwrapped() {
    var wrapped =
        new RuntimeException(
            new TerminalException(
                ConditionReason.ServiceAccountNotOwned, "ServiceAccount api exists"));

    assertThat(Failure.classify(wrapped))
        .isEqualTo(
            new Failure(
                ConditionReason.ServiceAccountNotOwned, "ServiceAccount api exists", true, true));
  }

  @Test
  void awsErrorIsClassifiedByItselfNotByItsSdkCause() {
    var sdkCause = new RuntimeException("socket closed");
    var error =
        AwsCallException.of("GetRole", "ServiceFailure", "internal error", false, true, sdkCause);

    assertThat(Failure.classify(error).reason()).isEqualTo(ConditionReason.AwsRetrying);
    assertThat(Failure.classify(error).message()).contains("ServiceFailure");
  }

  @Test
  void unknownErrorIsRetriedWithItsInnermostMessage() {
    var failure =
        Failure.classify(new RuntimeException(new IllegalStateException("informer not synced")));

    assertThat(failure)
        .isEqualTo(
            new Failure(ConditionReason.ReconcileError, "informer not synced", false, false));
  }

  @Test
  void unknownErrorWithoutMessageIsNamedByItsType() {
    var failure = Failure.classify(new NullPointerException());

    assertThat(failure)
        .isEqualTo(
            new Failure(ConditionReason.ReconcileError, "NullPointerException", false, false));
  }

  private static AwsCallException aws(String code, boolean retryable) {
    return AwsCallException.of("CreateRole", code, "details", false, retryable, null);
  }
}
