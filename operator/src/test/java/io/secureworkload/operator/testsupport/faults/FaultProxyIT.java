package io.secureworkload.operator.testsupport.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;

/** The fault proxy in front of a real moto, spoken to by the real AWS SDK. */
class FaultProxyIT {

  private static final String TRUST_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  private static final String ROLE = "sw-fault-proxy";

  @RegisterExtension static final MotoExtension moto = new MotoExtension();

  @RegisterExtension
  static final FaultProxyExtension proxy = FaultProxyExtension.inFrontOf(moto).seed(7);

  /** Every failure reaches the test as it came. */
  private static IamClient once;

  /** The SDK's standard retries (what the operator uses), with backoffs cut to milliseconds. */
  private static IamClient retrying;

  private static StsClient sts;

  /** Straight to moto, for looks that the proxy must not see. */
  private static IamClient direct;

  @BeforeAll
  static void clients() {
    direct = moto.iamClient();
    once = iamClient(AwsRetryStrategy.doNotRetry());
    retrying =
        iamClient(
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(10)
                .backoffStrategy(BackoffStrategy.exponentialDelay(ms(5), ms(50)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(ms(5), ms(50)))
                .build());
    sts =
        StsClient.builder()
            .endpointOverride(proxy.endpoint())
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(MotoServer.credentials())
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  static void closeClients() {
    once.close();
    retrying.close();
    sts.close();
  }

  @Test
  void callsAndAnswersPassThroughToMoto() {
    String arn =
        once.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(TRUST_POLICY)).role().arn();

    assertThat(once.getRole(r -> r.roleName(ROLE)).role().arn()).isEqualTo(arn);
    assertThat(direct.getRole(r -> r.roleName(ROLE)).role().arn()).isEqualTo(arn);
    assertThatThrownBy(() -> once.getRole(r -> r.roleName("missing")))
        .isInstanceOfSatisfying(
            NoSuchEntityException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
            });
    assertThat(proxy.calls().snapshot())
        .containsOnlyKeys("iam:CreateRole:Forwarded", "iam:GetRole:Forwarded")
        .containsEntry("iam:GetRole:Forwarded", 2L);
  }

  @Test
  void countsCallsPerServiceAndOperation() {
    once.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(TRUST_POLICY));
    for (int i = 0; i < 3; i++) {
      once.getRole(r -> r.roleName(ROLE));
    }
    once.listRoles();
    sts.getCallerIdentity();

    assertThat(proxy.calls().snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "iam:CreateRole:Forwarded", 1L,
                "iam:GetRole:Forwarded", 3L,
                "iam:ListRoles:Forwarded", 1L,
                "sts:GetCallerIdentity:Forwarded", 1L));
    assertThat(proxy.calls().total()).isEqualTo(6);
  }

  @Test
  void theSdkSeesInjectedThrottlingAsThrottling() {
    createRole();
    proxy.add(FaultRule.inject(Fault.throttling()).forService("iam").forOperations("GetRole"));

    assertThatThrownBy(() -> once.getRole(r -> r.roleName(ROLE)))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
              assertThat(e.requestId()).isNotBlank();
              assertThat(e.isThrottlingException()).isTrue();
            });
    // Other operations and services go through.
    assertThat(once.listRoles().roles()).hasSize(1);
    assertThat(sts.getCallerIdentity().account()).isEqualTo(MotoServer.ACCOUNT_ID);
    assertThat(proxy.calls().count("GetRole", "Throttling")).isEqualTo(1);
  }

  @Test
  void standardRetriesOutlastHalfTheCallsThrottled() {
    createRole();
    proxy.add(FaultRule.inject(Fault.throttling()).forOperations("GetRole").withProbability(0.5));

    for (int i = 0; i < 6; i++) {
      assertThat(retrying.getRole(r -> r.roleName(ROLE)).role().roleName()).isEqualTo(ROLE);
    }

    CallCounts calls = proxy.calls();
    assertThat(calls.forwarded("GetRole")).isEqualTo(6);
    assertThat(calls.count("GetRole", "Throttling"))
        .as("retries seen by the proxy: %s", calls)
        .isPositive()
        .isEqualTo(calls.total("GetRole") - 6);
  }

  @Test
  void serverErrorsCarryTheirStatusAndAreRetried() {
    createRole();
    proxy.add(
        FaultRule.inject(Fault.serviceUnavailable()).forOperations("GetRole").forNextCalls(1));
    proxy.add(FaultRule.inject(Fault.internalFailure()).forOperations("GetRole").forNextCalls(1));

    assertServiceError(() -> once.getRole(r -> r.roleName(ROLE)), 503, "ServiceUnavailable");
    assertServiceError(() -> once.getRole(r -> r.roleName(ROLE)), 500, "InternalFailure");

    proxy.add(
        FaultRule.inject(Fault.serviceUnavailable()).forOperations("GetRole").forNextCalls(2));
    assertThat(retrying.getRole(r -> r.roleName(ROLE)).role().roleName()).isEqualTo(ROLE);
    assertThat(proxy.calls().count("GetRole", "ServiceUnavailable")).isEqualTo(3);
    assertThat(proxy.calls().forwarded("GetRole")).isEqualTo(1);
  }

  @Test
  void accessDeniedAndDeleteConflictKeepTheRole() {
    createRole();
    proxy.add(FaultRule.inject(Fault.accessDenied()).forOperations("DeleteRole").forNextCalls(1));
    proxy.add(FaultRule.inject(Fault.deleteConflict()).forOperations("DeleteRole").forNextCalls(1));

    assertServiceError(() -> retrying.deleteRole(r -> r.roleName(ROLE)), 403, "AccessDenied");
    assertServiceError(() -> retrying.deleteRole(r -> r.roleName(ROLE)), 409, "DeleteConflict");
    assertThat(direct.getRole(r -> r.roleName(ROLE)).role().roleName()).isEqualTo(ROLE);

    retrying.deleteRole(r -> r.roleName(ROLE));
    assertThat(direct.listRoles().roles()).isEmpty();
    // Neither error is retried by the SDK: one call each.
    assertThat(proxy.calls().total("DeleteRole")).isEqualTo(3);
  }

  @Test
  void aWindowedOutageEnds() {
    createRole();
    InstalledRule outage =
        proxy.add(
            FaultRule.inject(Fault.throttling())
                .forOperations("GetRole")
                .forDuration(Duration.ofSeconds(1)));

    assertServiceError(() -> once.getRole(r -> r.roleName(ROLE)), 400, "Throttling");
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> once.getRole(r -> r.roleName(ROLE)) != null);

    assertThat(outage.isSpent()).isTrue();
    assertThat(once.getRole(r -> r.roleName(ROLE)).role().roleName()).isEqualTo(ROLE);
  }

  @Test
  void aResetConnectionIsAClientErrorThatRetriesOutlast() {
    createRole();
    proxy.add(FaultRule.inject(Fault.connectionReset()).forOperations("GetRole").forNextCalls(1));

    assertThatThrownBy(() -> once.getRole(r -> r.roleName(ROLE)))
        .isInstanceOf(SdkClientException.class);

    proxy.add(FaultRule.inject(Fault.connectionReset()).forOperations("GetRole").forNextCalls(1));
    assertThat(retrying.getRole(r -> r.roleName(ROLE)).role().roleName()).isEqualTo(ROLE);
    assertThat(proxy.calls().count("GetRole", CallCounts.CONNECTION_RESET)).isEqualTo(2);
    assertThat(proxy.calls().forwarded("GetRole")).isEqualTo(1);
  }

  @Test
  void latencyHoldsTheCallBack() {
    createRole();
    proxy.add(FaultRule.inject(Fault.latency(Duration.ofMillis(400))).forOperations("GetRole"));

    long started = System.nanoTime();
    once.getRole(r -> r.roleName(ROLE));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(proxy.calls().delayed("GetRole")).isEqualTo(1);
    assertThat(proxy.calls().delayed("CreateRole")).isZero();
    assertThat(proxy.calls().forwarded("GetRole")).isEqualTo(1);
  }

  @Test
  void aSeededRateThrottlesTheSameCallsEachTime() {
    createRole();
    FaultRule rule =
        FaultRule.inject(Fault.throttling()).forOperations("GetRole").withProbability(0.3);

    proxy.add(rule);
    List<Boolean> first = throttledOf(20);
    proxy.clearRules();
    proxy.add(rule);
    List<Boolean> second = throttledOf(20);

    assertThat(second).isEqualTo(first);
    long throttled = first.stream().filter(Boolean::booleanValue).count();
    assertThat(throttled).isBetween(1L, 19L);
    assertThat(proxy.calls().count("GetRole", "Throttling")).isEqualTo(2 * throttled);
  }

  @Test
  void concurrentCallsAreAllCounted() throws Exception {
    createRole();
    proxy.add(FaultRule.inject(Fault.throttling()).forOperations("GetRole").withProbability(0.5));
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Boolean>>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(callers.submit((Callable<List<Boolean>>) () -> throttledOf(10)));
      }
      long throttled = 0;
      for (Future<List<Boolean>> result : results) {
        throttled += result.get().stream().filter(Boolean::booleanValue).count();
      }

      assertThat(proxy.calls().total("GetRole")).isEqualTo(40);
      assertThat(proxy.calls().count("GetRole", "Throttling")).isEqualTo(throttled);
      assertThat(proxy.calls().forwarded("GetRole")).isEqualTo(40 - throttled);
    } finally {
      callers.shutdownNow();
    }
  }

  private static List<Boolean> throttledOf(int calls) {
    var throttled = new ArrayList<Boolean>();
    for (int i = 0; i < calls; i++) {
      try {
        once.getRole(r -> r.roleName(ROLE));
        throttled.add(false);
      } catch (AwsServiceException e) {
        assertThat(e.isThrottlingException()).as("%s", e).isTrue();
        throttled.add(true);
      }
    }
    return throttled;
  }

  private static void assertServiceError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }

  /** Made directly in moto: the proxy does not see it. */
  private static void createRole() {
    direct.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(TRUST_POLICY));
  }

  private static IamClient iamClient(RetryStrategy retries) {
    return IamClient.builder()
        .endpointOverride(proxy.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(MotoServer.credentials())
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(retries))
        .build();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
