package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.iam.ActualRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Every request goes through the call path, each page of a paginated listing included: an IAM
 * client of the SDK's own, built as the operator builds it, against an HTTP client of the test's
 * that answers in pages.
 */
class AwsCallsTest {

  private static final int ROLES = 2500;
  private static final int PAGE = AwsIamRoleReads.LIST_PAGE_SIZE;

  private final List<Long> limiterWaits = new ArrayList<>();
  // A frozen clock and a burst of one: every acquisition after the first waits, one second more
  // each time, so the waits count the acquisitions.
  private final RateLimiter limiter = new RateLimiter(1, () -> 0L, limiterWaits::add);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AwsCalls calls = AwsCalls.limitedTo(limiter, registry);
  private final List<String> requests = new ArrayList<>();

  @Test
  void everyPageOfAListingWaitsForTheRateLimitAndIsCounted() {
    var roles = new AwsIamRoles(client(), calls).list("/secureworkload/");

    assertThat(roles).hasSize(ROLES);
    assertThat(requests).containsExactly("ListRoles", "ListRoles", "ListRoles");
    assertThat(count("ListRoles")).isEqualTo(3);
    assertThat(limiterWaits).hasSize(2);
  }

  @Test
  void aSnapshotPassesEveryPageOfBothListingsThroughTheCallPath() {
    var roles = new AwsIamRoles(client(), calls).snapshot("/secureworkload/");

    assertThat(roles)
        .hasSize(ROLES)
        .extracting(ActualRole::maxSessionDurationSeconds)
        .containsOnly(7200);
    assertThat(requests)
        .containsExactly(
            "ListRoles",
            "ListRoles",
            "ListRoles",
            "GetAccountAuthorizationDetails",
            "GetAccountAuthorizationDetails",
            "GetAccountAuthorizationDetails");
    assertThat(count("ListRoles")).isEqualTo(3);
    assertThat(count("GetAccountAuthorizationDetails")).isEqualTo(3);
    assertThat(limiterWaits).hasSize(5);
  }

  @Test
  void callsIntoAnAccountAreCountedUnderItAndShareItsLimiter() {
    var inB = calls.inAccount(() -> "222222222222");
    new AwsIamRoles(client(inB), inB).list("/secureworkload/");

    assertThat(
            registry.find(AwsCalls.METER).tag("account", "222222222222").counters().stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isEqualTo(3);
    assertThat(registry.find(AwsCalls.METER).tag("account", "unknown").counters()).isEmpty();
    assertThat(limiterWaits).hasSize(2);
  }

  private double count(String operation) {
    return registry
        .find(AwsCalls.METER)
        .tag("operation", operation)
        .tag("outcome", "success")
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private IamClient client() {
    return client(calls);
  }

  private IamClient client(AwsCalls calls) {
    return IamClient.builder()
        .region(Region.AWS_GLOBAL)
        .endpointOverride(URI.create("http://iam.test"))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
        .httpClient(new PagingIam())
        .overrideConfiguration(
            c -> c.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(calls))
        .build();
  }

  /** Answers ListRoles and GetAccountAuthorizationDetails in pages of MaxItems roles. */
  private final class PagingIam implements SdkHttpClient {

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      var form = form(request);
      var action = form.get("Action");
      requests.add(action);
      int from = form.containsKey("Marker") ? Integer.parseInt(form.get("Marker")) : 0;
      int to = Math.min(from + Integer.parseInt(form.get("MaxItems")), ROLES);
      var xml =
          action.equals("ListRoles")
              ? page(action, "Roles", from, to, "<MaxSessionDuration>7200</MaxSessionDuration>")
              : page(action, "RoleDetailList", from, to, "");
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(200).build())
              .responseBody(
                  AbortableInputStream.create(
                      new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    private String page(String action, String list, int from, int to, String extra) {
      var members =
          IntStream.range(from, to)
              .mapToObj(
                  i ->
                      "<member><Path>/secureworkload/</Path><RoleName>r%d</RoleName><RoleId>AROA%d</RoleId><Arn>arn:aws:iam::123456789012:role/secureworkload/r%d</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>%%7B%%7D</AssumeRolePolicyDocument>%s</member>"
                          .formatted(i, i, i, extra))
              .collect(Collectors.joining());
      var more = to < ROLES;
      return ("<%sResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><%sResult>"
              + "<IsTruncated>%s</IsTruncated>%s<%s>%s</%s></%sResult>"
              + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></%sResponse>")
          .formatted(
              action,
              action,
              more,
              more ? "<Marker>" + to + "</Marker>" : "",
              list,
              members,
              list,
              action,
              action);
    }

    private Map<String, String> form(HttpExecuteRequest request) {
      try (var body = request.contentStreamProvider().orElseThrow().newStream()) {
        var text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        var form = new HashMap<String, String>();
        for (var pair : text.split("&")) {
          var kv = pair.split("=", 2);
          form.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return form;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {}
  }
}
