package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.aws.AwsCallException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureTest {

  @Test
  void terminalExceptionIsTerminalWithItsOwnReason() {
    var failure =
        Failure.classify(new TerminalException("RoleNotOwned", "IAM role exists untagged"));

    assertThat(failure).isEqualTo(new Failure("RoleNotOwned", "IAM role exists untagged", true));
  }

  @Test
  void retryableAwsErrorIsRetried() {
    var failure = Failure.classify(aws("Throttling", true));

    assertThat(failure.terminal()).isFalse();
    assertThat(failure.reason()).isEqualTo("Throttling");
    assertThat(failure.message()).isEqualTo("CreateRole failed: Throttling: details");
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
    assertThat(failure.reason()).isEqualTo(code);
  }

  @Test
  void malformedPolicyIsTerminalWithTheAwsErrorCodeAsReason() {
    var failure = Failure.classify(aws("MalformedPolicyDocument", false));

    assertThat(failure.terminal()).isTrue();
    assertThat(failure.reason()).isEqualTo("MalformedPolicyDocument");
  }

  @Test
  void clientErrorMeansAwsIsUnreachableAndIsRetried() {
    var failure = Failure.classify(aws("ClientError", true));

    assertThat(failure.reason()).isEqualTo("AwsUnreachable");
    assertThat(failure.terminal()).isFalse();
  }

  @Test
  void nestedAwsErrorIsUnwrapped() {
    var wrapped =
        new IllegalStateException(
            "workflow failed", new CompletionException(aws("MalformedPolicyDocument", false)));

    var failure = Failure.classify(wrapped);

    assertThat(failure.reason()).isEqualTo("MalformedPolicyDocument");
    assertThat(failure.terminal()).isTrue();
  }

  @Test
  void nestedTerminalExceptionIsUnwrapped() {
    var wrapped =
        new RuntimeException(
            new TerminalException("ServiceAccountNotOwned", "ServiceAccount api exists"));

    assertThat(Failure.classify(wrapped))
        .isEqualTo(new Failure("ServiceAccountNotOwned", "ServiceAccount api exists", true));
  }

  @Test
  void awsErrorIsClassifiedByItselfNotByItsSdkCause() {
    var sdkCause = new RuntimeException("socket closed");
    var error = new AwsCallException("GetRole", "ServiceFailure", "internal error", true, sdkCause);

    assertThat(Failure.classify(error).reason()).isEqualTo("ServiceFailure");
  }

  @Test
  void unknownErrorIsRetriedWithItsInnermostMessage() {
    var failure =
        Failure.classify(new RuntimeException(new IllegalStateException("informer not synced")));

    assertThat(failure).isEqualTo(new Failure("ReconcileError", "informer not synced", false));
  }

  @Test
  void unknownErrorWithoutMessageIsNamedByItsType() {
    var failure = Failure.classify(new NullPointerException());

    assertThat(failure).isEqualTo(new Failure("ReconcileError", "NullPointerException", false));
  }

  private static AwsCallException aws(String code, boolean retryable) {
    return new AwsCallException("CreateRole", code, "details", retryable, null);
  }
}
