package io.secureworkload.operator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.config.OperatorSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Builds the AWS clients: region, endpoint override, metrics and retries set in one place. */
public final class AwsClients {

  private AwsClients() {}

  public static IamClient iam(
      OperatorSettings settings, AwsCredentialsProvider credentials, MeterRegistry registry) {
    var builder =
        IamClient.builder()
            .region(iamRegion(settings.partition()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(overrides(registry));
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static StsClient sts(
      OperatorSettings settings, AwsCredentialsProvider credentials, MeterRegistry registry) {
    var builder =
        StsClient.builder()
            .region(Region.of(settings.awsRegion()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(overrides(registry));
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

  private static ClientOverrideConfiguration overrides(MeterRegistry registry) {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .addExecutionInterceptor(new AwsCallMetrics(registry))
        .build();
  }
}
