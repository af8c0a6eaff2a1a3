package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArnPatternTest {

  private static final Placeholders PAYMENTS =
      new Placeholders("payments", "111122223333", "eu-west-1", "aws");

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "arn:aws:s3:::team-a-*, arn:aws:s3:::team-a-logs, true",
    "arn:aws:s3:::team-a-*, arn:aws:s3:::team-a-*, true",
    "arn:aws:s3:::team-a-*, arn:aws:s3:::team-*, false",
    "arn:aws:s3:::team-a-*, arn:aws:s3:::team-b-logs, false",
    "arn:aws:s3:::team-a-*, arn:aws:s3:::team-a-logs/*, true",
    "arn:aws:s3:::team-a-?, arn:aws:s3:::team-a-*, false",
    "arn:aws:s3:::*, arn:aws:s3:::anything/at/all, true",
    // The resource is the whole rest: it holds colons and slashes.
    "arn:aws:logs:*:111122223333:log-group:app-*, arn:aws:logs:eu-west-1:111122223333:log-group:app-1:log-stream:x, true",
    // Wildcards stay within their segment elsewhere.
    "arn:aws:dynamodb:eu-*:111122223333:table/t, arn:aws:dynamodb:eu-west-1:111122223333:table/t, true",
    "arn:aws:dynamodb:eu-west-1:111122223333:table/t, arn:aws:dynamodb:*:111122223333:table/t, false",
    "arn:aws:dynamodb:*:*:table/t, arn:aws:dynamodb:eu-west-1:111122223333:table/t, true",
    "arn:aws:dynamodb:*:111122223333:*, arn:aws:dynamodb:eu-west-1:444455556666:table/t, false",
    "arn:aws:sqs:*:111122223333:q, arn:aws:sns:*:111122223333:q, false",
    // Case matters in ARNs.
    "arn:aws:s3:::Team-*, arn:aws:s3:::team-a, false",
    "*, arn:aws:s3:::x, true",
    "arn:*:*:*:*:*, *, false",
  })
  void containsSegmentBySegment(String outer, String inner, boolean expected) {
    var outerPattern = ArnPattern.parse(outer).orElseThrow();
    var innerPattern = ArnPattern.parse(inner).orElseThrow();
    assertThat(outerPattern.contains(innerPattern)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} becomes {1}")
  @CsvSource({
    "arn:${partition}:s3:::${namespace}-*, arn:aws:s3:::payments-*",
    "arn:aws:sqs:${region}:${account}:${namespace}-*, arn:aws:sqs:eu-west-1:111122223333:payments-*",
    "arn:aws:s3:::${unknown}-*, arn:aws:s3:::${unknown}-*",
  })
  void placeholdersAreFilledIn(String pattern, String expected) {
    assertThat(ArnPattern.parse(pattern, PAYMENTS).orElseThrow().text()).isEqualTo(expected);
  }

  @Test
  void anUnknownPlaceholderAdmitsNothing() {
    var pattern = ArnPattern.parse("arn:aws:s3:::${nmespace}-*", PAYMENTS).orElseThrow();
    assertThat(pattern.matches("arn:aws:s3:::payments-logs")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:s3",
        "arn:aws:s3:::",
        "arn:aws:s3::bucket",
        "arn:",
        "arn",
        "s3:::bucket",
        "urn:aws:s3:::bucket",
        ""
      })
  void notAnArnIsNotParsed(String text) {
    assertThat(ArnPattern.parse(text)).isEmpty();
  }

  @Test
  void theResourceIsEverythingAfterTheFifthColon() {
    var pattern =
        ArnPattern.parse("arn:aws:logs:eu-west-1:111122223333:log-group:a:*").orElseThrow();

    assertThat(pattern.service()).isEqualTo("logs");
    assertThat(pattern.account()).isEqualTo("111122223333");
    assertThat(pattern.resource()).isEqualTo("log-group:a:*");
  }

  @ParameterizedTest(name = "{0}: account {1}, wildcard {2}")
  @CsvSource({
    "arn:aws:s3:::bucket, '', false",
    "arn:aws:sqs:eu-west-1:111122223333:q, 111122223333, false",
    "arn:aws:sqs:eu-west-1:*:q, *, true",
    "arn:aws:sqs:eu-west-1:11112222333?:q, 11112222333?, true",
  })
  void accountSegment(String arn, String account, boolean wildcard) {
    var pattern = ArnPattern.parse(arn).orElseThrow();
    assertThat(pattern.account()).isEqualTo(account);
    assertThat(pattern.hasWildcardAccount()).isEqualTo(wildcard);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:s3:::home/${aws:username}/*",
        "arn:aws:s3:::${aws:PrincipalTag/team}-*",
        "arn:aws:sqs:eu-west-1:${aws:PrincipalAccount}:q"
      })
  void policyVariablesAreSpotted(String arn) {
    assertThat(ArnPattern.hasPolicyVariable(arn)).isTrue();
  }
}
