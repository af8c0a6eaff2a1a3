package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import java.util.List;
import java.util.Map;

/** Operator settings of the unit tests' cluster, {@code prod}. */
public final class TestSettings {

  public static final String ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/ABC";

  private TestSettings() {}

  /** The settings read from {@link #environment(String)}. */
  public static OperatorSettings inRegion(String region) {
    return OperatorSettings.fromEnvironment(environment(region));
  }

  /** The required environment of the operator in cluster prod and this region. */
  public static Map<String, String> environment(String region) {
    return Map.of(
        OperatorSettings.CLUSTER_NAME,
        "prod",
        OperatorSettings.OIDC_ISSUER_URL,
        "https://" + ISSUER,
        OperatorSettings.AWS_REGION,
        region);
  }

  /** Settings in us-west-2 that know these CIDRs of the AWS APIs. */
  public static OperatorSettings withAwsApiCidrs(List<String> awsApiCidrs) {
    return inRegion("us-west-2").toBuilder().awsApiCidrs(awsApiCidrs).build();
  }
}
