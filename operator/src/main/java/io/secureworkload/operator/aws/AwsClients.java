package io.secureworkload.operator.aws;

import io.secureworkload.operator.config.OperatorSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the AWS clients: region, endpoint override, retries and the call path ({@link AwsCalls})
 * set in one place. A client for another service (EC2, EKS) is one more method here.
 */
public final class AwsClients {

  private AwsClients() {}

  /** Every request of this client goes through {@code calls}: its rate limit and its count. */
  public static IamClient iam(
      OperatorSettings settings, AwsCredentialsProvider credentials, AwsCalls calls) {
    var builder =
        IamClient.builder()
            .region(iamRegion(settings.partition()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(overrides(calls));
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static StsClient sts(
      OperatorSettings settings, AwsCredentialsProvider credentials, AwsCalls calls) {
    var builder =
        StsClient.builder()
            .region(Region.of(settings.awsRegion()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(overrides(calls));
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** EKS of the operator's region; its own endpoint override wins over the one of every client. */
  public static EksClient eks(
      OperatorSettings settings, AwsCredentialsProvider credentials, AwsCalls calls) {
    var builder =
        EksClient.builder()
            .region(Region.of(settings.awsRegion()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(overrides(calls));
    settings.eksEndpoint().or(settings::awsEndpoint).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * STS for assuming roles in other accounts: an attempt and the whole call (retries included) are
   * bounded, so that an STS that does not answer is reported instead of waited for.
   */
  public static StsClient stsWithTimeout(
      OperatorSettings settings,
      AwsCredentialsProvider credentials,
      AwsCalls calls,
      java.time.Duration timeout) {
    var builder =
        StsClient.builder()
            .region(Region.of(settings.awsRegion()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(
                overrides(calls).toBuilder()
                    .apiCallTimeout(timeout)
                    .apiCallAttemptTimeout(timeout.dividedBy(2))
                    .build());
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** IAM is global: one endpoint per partition. */
  private static Region iamRegion(String partition) {
    return switch (partition) {
      case "aws-cn" -> Region.AWS_CN_GLOBAL;
      case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
      default -> Region.AWS_GLOBAL;
    };
  }

  private static ClientOverrideConfiguration overrides(AwsCalls calls) {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .addExecutionInterceptor(calls)
        .build();
  }
}
