package io.secureworkload.operator.testsupport.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an injected error the way the AWS service would, so that the SDK's own error parsing reads
 * its code and status. Query protocol services (IAM, STS) answer
 *
 * <pre>{@code
 * <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *   <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
 *   <RequestId>...</RequestId>
 * </ErrorResponse>
 * }</pre>
 *
 * ({@code Type} is {@code Receiver} for a 5xx); JSON protocol services answer {@code
 * {"__type":"Code","message":"..."}} with the code in {@code X-Amzn-ErrorType} too.
 */
final class ErrorReplies {

  private ErrorReplies() {}

  static Answer of(Fault.ErrorReply error, AwsOperation operation, String requestContentType) {
    String requestId = UUID.randomUUID().toString();
    if (operation.protocol() == AwsOperation.Protocol.JSON) {
      String body =
          "{\"__type\":\""
              + json(error.code())
              + "\",\"message\":\""
              + json(error.message())
              + "\"}";
      String contentType =
          requestContentType == null ? "application/x-amz-json-1.1" : requestContentType;
      return new Answer(
          error.status(),
          Map.of(
              "Content-Type", List.of(contentType),
              "X-Amzn-ErrorType", List.of(error.code()),
              "X-Amzn-RequestId", List.of(requestId)),
          body.getBytes(StandardCharsets.UTF_8));
    }
    String body =
        "<ErrorResponse"
            + namespace(operation)
            + "><Error><Type>"
            + (error.status() >= 500 ? "Receiver" : "Sender")
            + "</Type><Code>"
            + xml(error.code())
            + "</Code><Message>"
            + xml(error.message())
            + "</Message></Error><RequestId>"
            + requestId
            + "</RequestId></ErrorResponse>";
    return new Answer(
        error.status(),
        Map.of(
            "Content-Type", List.of("text/xml"),
            "X-Amzn-RequestId", List.of(requestId)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String namespace(AwsOperation operation) {
    if (operation.service().equals(AwsOperation.UNKNOWN) || operation.apiVersion().isEmpty()) {
      return "";
    }
    return " xmlns=\"https://"
        + operation.service()
        + ".amazonaws.com/doc/"
        + xml(operation.apiVersion().get())
        + "/\"";
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String json(String text) {
    var escaped = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        default -> {
          if (c < 0x20) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }
}
