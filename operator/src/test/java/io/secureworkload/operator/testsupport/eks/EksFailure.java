package io.secureworkload.operator.testsupport.eks;

/** An error answer as EKS sends it: HTTP status, {@code x-amzn-ErrorType} code, message. */
final class EksFailure extends RuntimeException {

  private final int status;
  private final String code;

  EksFailure(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static EksFailure notFound(String message) {
    return new EksFailure(404, "ResourceNotFoundException", message);
  }

  static EksFailure invalidParameter(String message) {
    return new EksFailure(400, "InvalidParameterException", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
