package io.secureworkload.operator.testsupport.faults;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The AWS operation a request calls, read the way the service would read it.
 *
 * <p>The service comes from the SigV4 credential scope ({@code
 * Credential=AKID/20250101/us-east-1/iam/aws4_request}), since with an endpoint override the host
 * names no service. The operation comes from the protocol: {@code Action=GetRole} in the form body
 * or query string (query protocol: IAM, STS), or {@code X-Amz-Target: Service.Operation} (JSON
 * protocols). REST protocols name the operation nowhere in the request; it is then {@link
 * #UNKNOWN}.
 *
 * @param service the signing name in lower case ({@code iam}, {@code sts}), or {@link #UNKNOWN}
 * @param name the operation ({@code GetRole}), or {@link #UNKNOWN}
 * @param protocol how the request is encoded, which decides how an error answer must look
 * @param apiVersion the query protocol's {@code Version} parameter, if any
 * @param parameters the query protocol's parameters (form body and query string), else empty
 */
public record AwsOperation(
    String service,
    String name,
    Protocol protocol,
    Optional<String> apiVersion,
    Map<String, String> parameters) {

  public AwsOperation {
    parameters = Map.copyOf(parameters);
  }

  public AwsOperation(String service, String name, Protocol protocol, Optional<String> apiVersion) {
    this(service, name, protocol, apiVersion, Map.of());
  }

  public static final String UNKNOWN = "Unknown";

  public enum Protocol {
    /** Form-encoded parameters, XML answers (IAM, STS, SQS before JSON). */
    QUERY,
    /** {@code X-Amz-Target} header, JSON body and answers (DynamoDB, KMS, Secrets Manager). */
    JSON,
    /** Anything else (REST-XML, REST-JSON); errors are answered in XML. */
    OTHER
  }

  /**
   * Reads the operation from a request.
   *
   * @param headers request headers; names are matched without regard to case
   */
  public static AwsOperation of(URI requestUri, Map<String, List<String>> headers, byte[] body) {
    var byName = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    String service = signingService(byName, requestUri).orElse(UNKNOWN);

    Optional<String> target = first(byName, "X-Amz-Target");
    if (target.isPresent()) {
      String value = target.get();
      return new AwsOperation(
          service, value.substring(value.lastIndexOf('.') + 1), Protocol.JSON, Optional.empty());
    }
    Map<String, String> parameters = queryParameters(requestUri.getRawQuery());
    if (isForm(byName)) {
      parameters.putAll(formParameters(new String(body, StandardCharsets.UTF_8)));
    }
    String action = parameters.get("Action");
    if (action != null) {
      return new AwsOperation(
          service,
          action,
          Protocol.QUERY,
          Optional.ofNullable(parameters.get("Version")),
          parameters);
    }
    return new AwsOperation(service, UNKNOWN, Protocol.OTHER, Optional.empty());
  }

  @Override
  public String toString() {
    return service + ":" + name;
  }

  private static Optional<String> signingService(
      Map<String, List<String>> headers, URI requestUri) {
    Optional<String> scope =
        first(headers, "Authorization")
            .flatMap(authorization -> after(authorization, "Credential="))
            .or(
                () ->
                    Optional.ofNullable(
                        queryParameters(requestUri.getRawQuery()).get("X-Amz-Credential")));
    // AKID/date/region/service/aws4_request
    return scope
        .map(value -> value.split("[/,\\s]"))
        .filter(parts -> parts.length >= 4)
        .map(parts -> parts[3].toLowerCase(Locale.ROOT));
  }

  private static Optional<String> after(String text, String marker) {
    int at = text.indexOf(marker);
    return at < 0 ? Optional.empty() : Optional.of(text.substring(at + marker.length()));
  }

  private static boolean isForm(Map<String, List<String>> headers) {
    return first(headers, "Content-Type")
        .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))
        .orElse(false);
  }

  private static Optional<String> first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static Map<String, String> queryParameters(String rawQuery) {
    return rawQuery == null ? new TreeMap<>() : formParameters(rawQuery);
  }

  private static Map<String, String> formParameters(String encoded) {
    var parameters = new TreeMap<String, String>();
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(decode(key), decode(value));
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
