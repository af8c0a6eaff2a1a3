package io.secureworkload.operator.testsupport.eks;

import java.time.Instant;
import java.util.Map;

/**
 * A request the EKS double received.
 *
 * @param sequence the place in {@link EksDouble#nextSequence()}'s order, shared with whatever else
 *     a test numbers from there
 * @param operation EKS's operation name, such as {@code CreatePodIdentityAssociation}
 * @param pathParameters {@code clusterName} and, where the path names one, {@code associationId}
 * @param query the query parameters (a listing's filters and page)
 * @param body the JSON body's fields as Jackson reads them (strings, booleans, maps)
 */
public record EksRecordedRequest(
    long sequence,
    Instant received,
    String operation,
    Map<String, String> pathParameters,
    Map<String, String> query,
    Map<String, Object> body) {

  public EksRecordedRequest {
    pathParameters = Map.copyOf(pathParameters);
    query = Map.copyOf(query);
    body = body == null ? Map.of() : java.util.Collections.unmodifiableMap(body);
  }
}
