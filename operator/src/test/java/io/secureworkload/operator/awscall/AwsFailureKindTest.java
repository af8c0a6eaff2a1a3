package io.secureworkload.operator.awscall;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsFailureKindTest {

  @ParameterizedTest(name = "{0} (throttled {1}, transient {2}) is {3}")
  @CsvSource({
    "AccessDenied, false, false, ACCESS_DENIED",
    "AccessDeniedException, false, false, ACCESS_DENIED",
    "UnauthorizedOperation, false, false, ACCESS_DENIED",
    "UnrecognizedClientException, false, false, ACCESS_DENIED",
    "InvalidClientTokenId, false, false, ACCESS_DENIED",
    "ExpiredToken, false, false, ACCESS_DENIED",
    "AccessDenied, false, true, ACCESS_DENIED",
    "Throttling, true, true, THROTTLED",
    "ServiceFailure, false, true, UNAVAILABLE",
    "ClientError, false, true, UNAVAILABLE",
    "HTTP503, false, true, UNAVAILABLE",
    "NoSuchEntity, false, false, NOT_FOUND",
    "EntityAlreadyExists, false, false, CONFLICT",
    "DeleteConflict, false, false, CONFLICT",
    "MalformedPolicyDocument, false, false, REJECTED",
    "LimitExceeded, false, false, REJECTED",
    "HTTP404, false, false, REJECTED",
    "ResourceNotFoundException, false, false, NOT_FOUND",
    "ResourceInUseException, false, false, CONFLICT",
    "ResourceLimitExceededException, false, false, REJECTED",
    "InvalidParameterException, false, false, REJECTED",
    "InvalidRequestException, false, false, REJECTED",
    "ServerException, false, true, UNAVAILABLE",
    "ServiceUnavailableException, false, true, UNAVAILABLE",
    "ServerException, false, false, UNAVAILABLE"
  })
  void everyFailureHasOneKindDecidedFromItsCodeAndWhatTheSdkKnows(
      String code, boolean throttled, boolean transientFailure, AwsFailureKind expected) {
    var kind = AwsFailureKind.decide(code, throttled, transientFailure);

    assertThat(kind).isEqualTo(expected);
    assertThat(kind.retryable())
        .isEqualTo(expected == AwsFailureKind.THROTTLED || expected == AwsFailureKind.UNAVAILABLE);
  }
}
