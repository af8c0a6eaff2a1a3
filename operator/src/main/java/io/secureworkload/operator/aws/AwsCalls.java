package io.secureworkload.operator.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The one path of every AWS request the operator makes, whatever the service. A client built by
 * {@link AwsClients} sends each request through this interceptor, which waits for the rate limit
 * and counts the request by service, operation and outcome ({@code secureworkload_aws_calls_total}:
 * {@code success}, the service's error code, or {@code ClientError} when no answer came). The SDK's
 * paginators send every page as a request of its own, so every page passes both. {@link #call}
 * turns what the SDK throws into an {@link AwsCallException} whose kind is decided in {@link
 * AwsFailureKind}; {@link #unlessGone} is the idempotent step of a deletion.
 */
public final class AwsCalls implements ExecutionInterceptor {

  public static final String METER = "secureworkload.aws.calls";

  /** The {@code account} label before the operator's own account id is known. */
  public static final String ACCOUNT_NOT_KNOWN_YET = "unknown";

  private final RateLimiter rateLimiter;
  private final MeterRegistry registry;
  private final Supplier<String> account;

  private AwsCalls(RateLimiter rateLimiter, MeterRegistry registry, Supplier<String> account) {
    this.rateLimiter = rateLimiter;
    this.registry = registry;
    this.account = account;
  }

  /** Requests share this limit: the account-wide IAM quota is shared by every reconciliation. */
  public static AwsCalls limitedTo(RateLimiter rateLimiter, MeterRegistry registry) {
    return new AwsCalls(rateLimiter, registry, () -> ACCOUNT_NOT_KNOWN_YET);
  }

  /** Requests are counted but not limited (STS: one call per process). */
  public static AwsCalls unlimited(MeterRegistry registry) {
    return new AwsCalls(null, registry, () -> ACCOUNT_NOT_KNOWN_YET);
  }

  /**
   * The same path, its calls counted under the account they act in ({@code account} label): every
   * client of one account shares one limiter, whichever part of the operator calls.
   */
  public AwsCalls inAccount(Supplier<String> accountId) {
    return new AwsCalls(rateLimiter, registry, accountId);
  }

  /** The request, with what the SDK throws turned into an {@link AwsCallException}. */
  public <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Every item of a paginated listing, read through the SDK's paginator inside one {@link #call}:
   * each page is a request of its own, limited and counted by this path like any other.
   */
  public <T> List<T> listing(String operation, Supplier<SdkIterable<T>> items) {
    return call(operation, () -> items.get().stream().toList());
  }

  /** A step of a deletion: what is already gone ({@link AwsFailureKind#NOT_FOUND}) is done. */
  public <T> T unlessGone(String operation, Supplier<T> request, T whenGone) {
    try {
      return call(operation, request);
    } catch (AwsCallException e) {
      if (e.kind() == AwsFailureKind.NOT_FOUND) {
        return whenGone;
      }
      throw e;
    }
  }

  public void unlessGone(String operation, Supplier<?> request) {
    unlessGone(operation, request, null);
  }

  static AwsCallException failure(String operation, SdkException error) {
    if (error instanceof AwsServiceException e) {
      // An answer the SDK could not parse (an HTML error page, an empty body) has no code.
      var details = e.awsErrorDetails();
      var code =
          details == null || isBlank(details.errorCode())
              ? "HTTP" + e.statusCode()
              : details.errorCode();
      var message =
          details == null || isBlank(details.errorMessage())
              ? String.valueOf(e.getMessage())
              : details.errorMessage();
      return AwsCallException.of(
          operation,
          code,
          message,
          e.isThrottlingException(),
          e.statusCode() >= 500 || e.retryable(),
          e);
    }
    return AwsCallException.of(operation, "ClientError", error.getMessage(), false, true, error);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (rateLimiter != null) {
      rateLimiter.acquire();
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    // The call that tells the operator its own account is counted under the account it names.
    if (context.response() instanceof GetCallerIdentityResponse identity) {
      count(attributes, "success", identity.account());
      return;
    }
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
    count(attributes, outcome, account.get());
  }

  private void count(ExecutionAttributes attributes, String outcome, String accountId) {
    Counter.builder(METER)
        .description("AWS API calls made by the operator")
        .tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
        .tag(
            "operation",
            String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
        .tag("outcome", outcome == null ? "unknown" : outcome)
        .tag("account", String.valueOf(accountId))
        .register(registry)
        .increment();
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
