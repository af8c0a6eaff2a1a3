package io.secureworkload.operator.testsupport.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against a recording stand-in for moto, spoken to in raw HTTP: what reaches moto, what
 * comes back, and the exact error answers.
 */
class FaultProxyTest {

  private static final String AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/iam/aws4_request, "
          + "SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";
  private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
  private static final String GET_ROLE = "Action=GetRole&Version=2010-05-08&RoleName=sw-demo";

  private final List<LoopbackHttpServer.Request> received = new CopyOnWriteArrayList<>();
  private final MovableClock clock = new MovableClock();
  private final HttpClient http = HttpClient.newHttpClient();
  private LoopbackHttpServer upstream;
  private FaultProxy proxy;

  @BeforeEach
  void start() {
    upstream =
        new LoopbackHttpServer(
            request -> {
              received.add(request);
              return Optional.of(
                  new Answer(
                      201,
                      Map.of(
                          "X-Amzn-RequestId", List.of("moto-request"),
                          "Content-Type", List.of("text/xml")),
                      "<GetRoleResponse/>".getBytes(StandardCharsets.UTF_8)));
            });
    URI upstreamUri = URI.create("http://127.0.0.1:" + upstream.port());
    proxy = FaultProxy.forwardingTo(upstreamUri).clock(clock).start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void forwardsTheRequestAndTheAnswerUnchanged() throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(proxy.endpoint().resolve("/some/path?x=a%20b&y=1"))
                .header("Authorization", AUTHORIZATION)
                .header("X-Amz-Date", "20250101T000000Z")
                .header("X-Amz-Security-Token", "token")
                .header("Date", "Wed, 01 Jan 2025 00:00:00 GMT")
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(GET_ROLE))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(received).hasSize(1);
    LoopbackHttpServer.Request request = received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).hasToString("/some/path?x=a%20b&y=1");
    assertThat(request.headers())
        .containsEntry("Authorization", List.of(AUTHORIZATION))
        .containsEntry("X-Amz-Date", List.of("20250101T000000Z"))
        .containsEntry("X-Amz-Security-Token", List.of("token"))
        .containsEntry("Date", List.of("Wed, 01 Jan 2025 00:00:00 GMT"))
        .containsEntry("Content-Type", List.of(FORM));
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(GET_ROLE);

    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.body()).isEqualTo("<GetRoleResponse/>");
    assertThat(answer.headers().firstValue("X-Amzn-RequestId")).hasValue("moto-request");
    assertThat(proxy.calls().snapshot())
        .containsExactlyEntriesOf(Map.of("iam:GetRole:Forwarded", 1L));
  }

  @Test
  void answersAnInjectedErrorAsIamWouldWithoutCallingMoto() throws Exception {
    proxy.add(FaultRule.inject(Fault.throttling()).forOperations("GetRole"));

    HttpResponse<String> answer =
        http.send(iamCall(GET_ROLE), HttpResponse.BodyHandlers.ofString());

    assertThat(received).isEmpty();
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/xml");
    String requestId = answer.headers().firstValue("X-Amzn-RequestId").orElseThrow();
    assertThat(answer.body())
        .isEqualTo(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                + "</Error><RequestId>"
                + requestId
                + "</RequestId></ErrorResponse>");
    assertThat(proxy.calls().count("GetRole", "Throttling")).isEqualTo(1);
  }

  @Test
  void serverErrorsAreTheReceiversFault() throws Exception {
    proxy.add(FaultRule.inject(Fault.serviceUnavailable()));

    HttpResponse<String> answer =
        http.send(iamCall(GET_ROLE), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("<Type>Receiver</Type><Code>ServiceUnavailable</Code>");
  }

  @Test
  void answersJsonProtocolCallsInJson() throws Exception {
    proxy.add(FaultRule.inject(Fault.accessDenied()).forService("secretsmanager"));

    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(proxy.endpoint())
                .header("Authorization", AUTHORIZATION.replace("/iam/", "/secretsmanager/"))
                .header("X-Amz-Target", "secretsmanager.GetSecretValue")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"SecretId\":\"s\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("X-Amzn-ErrorType")).hasValue("AccessDenied");
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
    assertThat(answer.body())
        .isEqualTo(
            "{\"__type\":\"AccessDenied\",\"message\":"
                + "\"User is not authorized to perform this action (injected fault).\"}");
  }

  @Test
  void connectionResetClosesWithoutAnAnswer() {
    proxy.add(FaultRule.inject(Fault.connectionReset()));

    assertThatThrownBy(() -> http.send(iamCall(GET_ROLE), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(received).isEmpty();
    assertThat(proxy.calls().count("GetRole", CallCounts.CONNECTION_RESET)).isEqualTo(1);
  }

  @Test
  void aRuleForOneServiceLeavesTheOthersAlone() throws Exception {
    proxy.add(FaultRule.inject(Fault.throttling()).forService("sts"));

    assertThat(http.send(iamCall(GET_ROLE), HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(201);
  }

  @Test
  void nextCallsRulePicksThatManyAndIsThenSpent() throws Exception {
    InstalledRule rule =
        proxy.add(
            FaultRule.inject(Fault.deleteConflict()).forOperations("GetRole").forNextCalls(2));

    assertThat(statusesOf(3)).containsExactly(409, 409, 201);
    assertThat(rule.picked()).isEqualTo(2);
    assertThat(rule.isSpent()).isTrue();
  }

  @Test
  void windowRuleActsOnlyBetweenItsStartAndEnd() throws Exception {
    InstalledRule rule =
        proxy.add(
            FaultRule.inject(Fault.internalFailure())
                .startingAfter(Duration.ofSeconds(10))
                .forDuration(Duration.ofSeconds(5)));

    assertThat(statusesOf(1)).containsExactly(201);
    clock.advance(Duration.ofSeconds(10));
    assertThat(statusesOf(1)).containsExactly(500);
    clock.advance(Duration.ofSeconds(5));
    assertThat(statusesOf(1)).containsExactly(201);
    assertThat(rule.isSpent()).isTrue();
  }

  @Test
  void theFirstFailingRuleWinsAndLatencyAddsToIt() throws Exception {
    proxy.add(FaultRule.inject(Fault.latency(Duration.ofMillis(1))));
    proxy.add(FaultRule.inject(Fault.accessDenied()).forOperations("GetRole"));
    InstalledRule second = proxy.add(FaultRule.inject(Fault.throttling()));

    assertThat(statusesOf(1)).containsExactly(403);
    assertThat(second.picked()).isZero();
    assertThat(proxy.calls().delayed("GetRole")).isEqualTo(1);
  }

  @Test
  void removedAndClearedRulesStopActing() throws Exception {
    InstalledRule rule = proxy.add(FaultRule.inject(Fault.throttling()));
    assertThat(statusesOf(1)).containsExactly(400);

    rule.remove();
    assertThat(statusesOf(1)).containsExactly(201);

    proxy.add(FaultRule.inject(Fault.throttling()));
    proxy.clearRules();
    assertThat(statusesOf(1)).containsExactly(201);
    assertThat(proxy.calls().forwarded("GetRole")).isEqualTo(2);
    assertThat(proxy.calls().injected("GetRole")).isEqualTo(1);
  }

  @Test
  void aRateRulePicksTheSameCallsForTheSameSeed() throws Exception {
    FaultRule halfThrottled = FaultRule.inject(Fault.throttling()).withProbability(0.5);

    proxy.add(halfThrottled);
    List<Integer> first = statusesOf(40);
    proxy.clearRules();
    proxy.add(halfThrottled);
    List<Integer> second = statusesOf(40);

    assertThat(second).isEqualTo(first);
    assertThat(first).contains(400, 201);
  }

  private List<Integer> statusesOf(int calls) throws Exception {
    var statuses = new ArrayList<Integer>();
    for (int i = 0; i < calls; i++) {
      statuses.add(
          http.send(iamCall(GET_ROLE), HttpResponse.BodyHandlers.discarding()).statusCode());
    }
    return statuses;
  }

  private HttpRequest iamCall(String form) {
    return HttpRequest.newBuilder(proxy.endpoint())
        .header("Authorization", AUTHORIZATION)
        .header("Content-Type", FORM)
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }

  /** A clock that moves only when told to. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
