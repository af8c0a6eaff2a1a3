package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.IamAccount;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The operator's credentials in another account: the SDK's refreshing {@link
 * StsAssumeRoleCredentialsProvider} on the role a policy names, with the external id read from its
 * Secret at each refresh, and a breaker in front of it. Once an AssumeRole fails (refused, a wrong
 * external id, no answer within the STS client's timeout), every call into the account fails at
 * once with that error until the backoff (5 s, doubling, at most 5 minutes) has passed: a
 * reconciler thread never waits on an account that cannot be reached.
 */
final class AssumedRoleAccess implements AwsCredentialsProvider, IamAccount.Access {

  static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final StsClient sts;
  private final Supplier<AccountTarget> target;
  private final Function<AccountTarget, Optional<String>> externalIds;
  private final String sessionName;
  private final LongSupplier nanoClock;
  private StsAssumeRoleCredentialsProvider provider;
  private AccountTarget providerTarget;
  private String failure;
  private long failedUntil;
  private Duration backoff = Duration.ZERO;

  /**
   * @param externalIds the external id a target's trust requires, read from its Secret; empty for
   *     none
   * @param sessionName names the operator and the cluster in the account's CloudTrail
   */
  AssumedRoleAccess(
      StsClient sts,
      Supplier<AccountTarget> target,
      Function<AccountTarget, Optional<String>> externalIds,
      String sessionName,
      LongSupplier nanoClock) {
    this.sts = sts;
    this.target = target;
    this.externalIds = externalIds;
    this.sessionName = sessionName;
    this.nanoClock = nanoClock;
  }

  @Override
  public void check() {
    resolveCredentials();
  }

  @Override
  public AwsCredentials resolveCredentials() {
    StsAssumeRoleCredentialsProvider current;
    var now = target.get();
    synchronized (this) {
      if (failure != null && nanoClock.getAsLong() < failedUntil) {
        throw new AccountUnavailableException(now, failure, null);
      }
      if (provider == null || !now.equals(providerTarget)) {
        if (provider != null) {
          provider.close();
        }
        providerTarget = now;
        provider =
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(() -> request(now))
                .build();
      }
      current = provider;
    }
    try {
      var credentials = current.resolveCredentials();
      synchronized (this) {
        failure = null;
        backoff = Duration.ZERO;
      }
      return credentials;
    } catch (AccountUnavailableException e) {
      throw failed(now, e.problem(), e);
    } catch (SdkException e) {
      var cause = AwsCalls.failure("AssumeRole", e);
      throw failed(now, "sts:AssumeRole failed: " + cause.errorCode() + ": " + detail(cause), e);
    } catch (RuntimeException e) {
      throw failed(now, String.valueOf(e.getMessage()), e);
    }
  }

  private static String detail(Exception cause) {
    var message = cause.getMessage();
    int colon = message.indexOf(": ", message.indexOf(": ") + 2);
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private synchronized AccountUnavailableException failed(
      AccountTarget now, String problem, Exception cause) {
    if (failure != null && nanoClock.getAsLong() < failedUntil) {
      // Another thread's attempt failed at the same time: one failure, one step of the backoff.
      return new AccountUnavailableException(now, failure, cause);
    }
    backoff = backoff.isZero() ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
    failure = problem + " (next attempt in " + backoff.toSeconds() + "s)";
    failedUntil = nanoClock.getAsLong() + backoff.toNanos();
    return new AccountUnavailableException(now, failure, cause);
  }

  private AssumeRoleRequest request(AccountTarget now) {
    var builder = AssumeRoleRequest.builder().roleArn(now.roleArn()).roleSessionName(sessionName);
    Optional<String> externalId;
    try {
      externalId = externalIds.apply(now);
    } catch (RuntimeException e) {
      throw new AccountUnavailableException(now, e.getMessage(), e);
    }
    externalId.ifPresent(builder::externalId);
    return builder.build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
