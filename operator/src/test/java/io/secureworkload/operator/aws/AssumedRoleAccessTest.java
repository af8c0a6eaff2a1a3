package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.AccountUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The operator's way into another account: the request it sends, and the breaker that answers at
 * once, without calling STS, while an account that refused is in its backoff.
 */
class AssumedRoleAccessTest {

  private static final AccountTarget TARGET =
      new AccountTarget(
          "222222222222", "arn:aws:iam::222222222222:role/operator", "account-b", "externalId");

  private final StsClient sts = mock(StsClient.class);
  private final AtomicLong now = new AtomicLong();
  private Optional<String> externalId = Optional.of("the-external-id");
  private final AssumedRoleAccess access =
      new AssumedRoleAccess(
          sts, () -> TARGET, target -> externalId, "secureworkload-prod", now::get);

  @Test
  void assumesTheNamedRoleWithTheExternalIdAndASessionNameThatNamesTheOperator() {
    answers();

    var credentials = access.resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAEXAMPLE");
    var request = ArgumentCaptor.forClass(AssumeRoleRequest.class);
    verify(sts).assumeRole(request.capture());
    assertThat(request.getValue().roleArn()).isEqualTo(TARGET.roleArn());
    assertThat(request.getValue().externalId()).isEqualTo("the-external-id");
    assertThat(request.getValue().roleSessionName()).isEqualTo("secureworkload-prod");
  }

  @Test
  void noExternalIdIsSentWhenNoneIsSet() {
    externalId = Optional.empty();
    answers();

    access.check();

    var request = ArgumentCaptor.forClass(AssumeRoleRequest.class);
    verify(sts).assumeRole(request.capture());
    assertThat(request.getValue().externalId()).isNull();
  }

  @Test
  void aRefusalFailsEveryCallAtOnceUntilTheBackoffHasPassedThenDoublesIt() {
    when(sts.assumeRole(any(AssumeRoleRequest.class))).thenThrow(refused());

    assertThatThrownBy(access::check)
        .isInstanceOf(AccountUnavailableException.class)
        .hasMessageContaining("222222222222")
        .hasMessageContaining(TARGET.roleArn())
        .hasMessageContaining("AccessDenied")
        .hasMessageContaining("next attempt in 5s");
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(access::check).isInstanceOf(AccountUnavailableException.class);
    }
    verify(sts, times(1)).assumeRole(any(AssumeRoleRequest.class));

    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThatThrownBy(access::check).hasMessageContaining("next attempt in 10s");
    verify(sts, times(2)).assumeRole(any(AssumeRoleRequest.class));
  }

  @Test
  void anAnswerAfterTheBackoffClosesTheBreaker() {
    when(sts.assumeRole(any(AssumeRoleRequest.class))).thenThrow(refused()).thenReturn(response());
    assertThatThrownBy(access::check).isInstanceOf(AccountUnavailableException.class);

    now.addAndGet(Duration.ofSeconds(5).toNanos());
    access.check();
    access.check();

    verify(sts, times(2)).assumeRole(any(AssumeRoleRequest.class));
  }

  @Test
  void anUnreadableExternalIdIsReportedWithoutCallingSts() {
    var failing =
        new AssumedRoleAccess(
            sts,
            () -> TARGET,
            target -> {
              throw new IllegalStateException(
                  "the external id Secret sw-system/account-b does not exist");
            },
            "secureworkload-prod",
            now::get);

    assertThatThrownBy(failing::check)
        .isInstanceOf(AccountUnavailableException.class)
        .hasMessageContaining("sw-system/account-b does not exist");
    verify(sts, never()).assumeRole(any(AssumeRoleRequest.class));
  }

  private void answers() {
    when(sts.assumeRole(any(AssumeRoleRequest.class))).thenReturn(response());
  }

  private static AssumeRoleResponse response() {
    return AssumeRoleResponse.builder()
        .credentials(
            Credentials.builder()
                .accessKeyId("ASIAEXAMPLE")
                .secretAccessKey("secret")
                .sessionToken("token")
                .expiration(Instant.now().plus(Duration.ofHours(1)))
                .build())
        .build();
  }

  private static StsException refused() {
    return (StsException)
        StsException.builder()
            .statusCode(403)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("AccessDenied")
                    .errorMessage("not authorized to perform sts:AssumeRole")
                    .build())
            .build();
  }
}
