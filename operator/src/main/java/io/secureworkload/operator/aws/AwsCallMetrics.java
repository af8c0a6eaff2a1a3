package io.secureworkload.operator.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS call by service, operation and outcome ({@code success}, the service's error
 * code, or {@code ClientError} when no answer came), as {@code secureworkload_aws_calls_total}.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {

  public static final String METER = "secureworkload.aws.calls";

  private final MeterRegistry registry;

  public AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    var failure = context.exception();
    var outcome =
        failure instanceof AwsServiceException service && service.awsErrorDetails() != null
            ? service.awsErrorDetails().errorCode()
            : "ClientError";
    count(attributes, outcome);
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder(METER)
        .description("AWS API calls made by the operator")
        .tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
        .tag(
            "operation",
            String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
        .tag("outcome", outcome == null ? "unknown" : outcome)
        .register(registry)
        .increment();
  }
}
