package io.secureworkload.operator.awscall;

import java.util.Set;

/**
 * What a failed AWS call means for the operator, whichever service answered: the one vocabulary
 * that the status, the deletion and the role sync read, so that no code list is kept twice.
 */
public enum AwsFailureKind {
  /**
   * The operator's credentials or its own policy do not allow the call: an administrator fixes it.
   */
  ACCESS_DENIED,
  /** AWS asked the operator to slow down. */
  THROTTLED,
  /** No answer, or AWS failed on its side: trying again later can succeed. */
  UNAVAILABLE,
  /** The thing the call names does not exist (or no longer). */
  NOT_FOUND,
  /** The call collides with what exists: a name taken, something still attached. */
  CONFLICT,
  /** AWS refused the request as it is: retrying the same request cannot help. */
  REJECTED;

  /**
   * Codes of a refusal for lack of permission, of every service the operator calls (IAM and STS
   * answer {@code AccessDenied}, EC2 {@code UnauthorizedOperation}, the JSON services {@code
   * AccessDeniedException}) and of credentials that AWS does not accept.
   */
  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "ExpiredToken",
          // A 403 whose body named no code: every 403 of AWS is about who calls, not what.
          "HTTP403");

  /** EKS's codes of a failure on its side; they come with a 5xx, named here should one not. */
  private static final Set<String> UNAVAILABLE_CODES =
      Set.of("ServerException", "ServiceUnavailableException");

  /** IAM's and EKS's codes of a missing thing. */
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("NoSuchEntity", "ResourceNotFoundException");

  /**
   * IAM's codes, and EKS's for a ServiceAccount that already has an association. EKS's {@code
   * ResourceLimitExceededException} (the cluster's associations quota) stays a refusal: the caller
   * tells it by its {@link AwsCallException#errorCode()}.
   */
  private static final Set<String> CONFLICT_CODES =
      Set.of("EntityAlreadyExists", "DeleteConflict", "ResourceInUseException");

  /** Whether the same call can succeed later without anyone changing anything. */
  public boolean retryable() {
    return this == THROTTLED || this == UNAVAILABLE;
  }

  /**
   * Whether only a different request can succeed: neither waiting nor an administrator's fix of the
   * operator's access helps.
   */
  public boolean requestMustChange() {
    return this == NOT_FOUND || this == CONFLICT || this == REJECTED;
  }

  /**
   * The one decision. A permission code wins over everything (an administrator must act, whatever
   * the HTTP status); then what the SDK knows of throttling and of failures on AWS's side; then the
   * codes that name a missing or a colliding thing; anything else is a refusal of the request.
   *
   * @param errorCode the service's error code ({@code HTTP<status>} or {@code ClientError} when the
   *     answer carried none)
   * @param throttled the SDK recognised a throttling answer
   * @param transientFailure no answer came, AWS failed on its side (5xx), or the SDK holds the
   *     error retryable
   */
  public static AwsFailureKind decide(
      String errorCode, boolean throttled, boolean transientFailure) {
    if (ACCESS_DENIED_CODES.contains(errorCode)) {
      return ACCESS_DENIED;
    }
    if (throttled) {
      return THROTTLED;
    }
    if (transientFailure || UNAVAILABLE_CODES.contains(errorCode)) {
      return UNAVAILABLE;
    }
    if (NOT_FOUND_CODES.contains(errorCode)) {
      return NOT_FOUND;
    }
    if (CONFLICT_CODES.contains(errorCode)) {
      return CONFLICT;
    }
    return REJECTED;
  }
}
