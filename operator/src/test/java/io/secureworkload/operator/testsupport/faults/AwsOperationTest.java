package io.secureworkload.operator.testsupport.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsOperationTest {

  private static final String IAM_AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/iam/aws4_request, "
          + "SignedHeaders=content-type;host;x-amz-date, Signature=abc";

  @Test
  void queryProtocolActionComesFromTheFormBody() {
    var operation =
        AwsOperation.of(
            URI.create("/"),
            Map.of(
                "authorization", List.of(IAM_AUTHORIZATION),
                "content-type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
            bytes("Action=GetRole&Version=2010-05-08&RoleName=sw%2Bdemo"));

    assertThat(operation)
        .isEqualTo(
            new AwsOperation(
                "iam",
                "GetRole",
                AwsOperation.Protocol.QUERY,
                Optional.of("2010-05-08"),
                Map.of("Action", "GetRole", "Version", "2010-05-08", "RoleName", "sw+demo")));
  }

  @Test
  void aRuleMayAskForAParameterValue() {
    var operation =
        AwsOperation.of(
            URI.create("/"),
            Map.of(
                "authorization", List.of(IAM_AUTHORIZATION),
                "content-type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
            bytes("Action=GetRole&Version=2010-05-08&RoleName=sw%2Bdemo"));
    var rule = FaultRule.inject(Fault.accessDenied()).forOperations("GetRole");

    assertThat(rule.withParameter("RoleName", "sw+demo").matches(operation)).isTrue();
    assertThat(rule.withParameter("RoleName", "sw-other").matches(operation)).isFalse();
    assertThat(rule.withParameter("ExternalId", "x").matches(operation)).isFalse();
  }

  @Test
  void queryProtocolActionMayComeFromTheQueryString() {
    var operation =
        AwsOperation.of(
            URI.create(
                "/?Action=GetCallerIdentity&Version=2011-06-15"
                    + "&X-Amz-Credential=testing%2F20250101%2Fus-west-2%2Fsts%2Faws4_request"),
            Map.of(),
            new byte[0]);

    assertThat(operation.service()).isEqualTo("sts");
    assertThat(operation.name()).isEqualTo("GetCallerIdentity");
    assertThat(operation.protocol()).isEqualTo(AwsOperation.Protocol.QUERY);
  }

  @Test
  void jsonProtocolOperationComesFromTheTargetHeader() {
    var operation =
        AwsOperation.of(
            URI.create("/"),
            Map.of(
                "Authorization",
                List.of(IAM_AUTHORIZATION.replace("/iam/", "/secretsmanager/")),
                "X-Amz-Target",
                List.of("secretsmanager.GetSecretValue"),
                "Content-Type",
                List.of("application/x-amz-json-1.1")),
            bytes("{\"SecretId\":\"s\"}"));

    assertThat(operation)
        .isEqualTo(
            new AwsOperation(
                "secretsmanager", "GetSecretValue", AwsOperation.Protocol.JSON, Optional.empty()));
  }

  @Test
  void formBodyIsNotReadUnlessItIsAForm() {
    var operation =
        AwsOperation.of(
            URI.create("/bucket/key"),
            Map.of("Content-Type", List.of("application/octet-stream")),
            bytes("Action=GetRole"));

    assertThat(operation.service()).isEqualTo(AwsOperation.UNKNOWN);
    assertThat(operation.name()).isEqualTo(AwsOperation.UNKNOWN);
    assertThat(operation.protocol()).isEqualTo(AwsOperation.Protocol.OTHER);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
