package io.secureworkload.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorSettingsTest {

  private static final String ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/ABC";

  @Test
  void defaultsApplyWhenOnlyTheRequiredVariablesAreSet() {
    var settings = OperatorSettings.fromEnvironment(required());

    assertThat(settings.clusterName()).isEqualTo("prod");
    assertThat(settings.oidcIssuerUrl()).isEqualTo(URI.create(ISSUER));
    assertThat(settings.awsRegion()).isEqualTo("us-west-2");
    assertThat(settings.rolePrefix()).isEqualTo("sw-");
    assertThat(settings.rolePath()).isEqualTo("/secureworkload/");
    assertThat(settings.awsEndpoint()).isEmpty();
    assertThat(settings.permissionsBoundaryArn()).isEmpty();
    assertThat(settings.watchNamespaces()).isEmpty();
    assertThat(settings.resyncPeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(settings.iamRequestsPerSecond()).isEqualTo(10.0);
    assertThat(settings.maxConcurrentReconciliations()).isEqualTo(10);
    assertThat(settings.metricsPort()).isEqualTo(8080);
    assertThat(settings.dnsNamespace()).isEqualTo("kube-system");
    assertThat(settings.dnsPodLabels()).isEqualTo(Map.of("k8s-app", "kube-dns"));
    assertThat(settings.awsApiCidrs()).isEmpty();
    assertThat(settings.awsDriftPeriod()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void networkSettingsCanBeSet() {
    var settings =
        OperatorSettings.fromEnvironment(
            with(
                Map.of(
                    OperatorSettings.DNS_NAMESPACE, "dns",
                    OperatorSettings.DNS_POD_LABELS, "app=coredns, tier=dns",
                    OperatorSettings.AWS_API_CIDRS, "10.0.100.0/24, 10.0.101.0/24,fd00::/64")));

    assertThat(settings.dnsNamespace()).isEqualTo("dns");
    assertThat(settings.dnsPodLabels()).isEqualTo(Map.of("app", "coredns", "tier", "dns"));
    assertThat(settings.awsApiCidrs())
        .containsExactly("10.0.100.0/24", "10.0.101.0/24", "fd00::/64");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SW_AWS_API_CIDRS | 10.0.0.0 | comma-separated CIDR blocks",
        "SW_AWS_API_CIDRS | 10.0.0.0/16,vpc-endpoint | comma-separated CIDR blocks",
        "SW_AWS_API_CIDRS | 10.0.0.0/33 | comma-separated CIDR blocks",
        "SW_DNS_POD_LABELS | k8s-app | labels such as",
        "SW_DNS_POD_LABELS | =kube-dns | labels such as",
        "SW_DNS_NAMESPACE | Kube_System | a namespace name"
      })
  void invalidNetworkSettingIsRejectedNamingTheVariable(
      String variable, String value, String expected) {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(with(Map.of(variable, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable + "=" + value + " is not " + expected);
  }

  @Test
  void everyVariableCanBeSet() {
    var settings =
        OperatorSettings.fromEnvironment(
            with(
                Map.of(
                    OperatorSettings.ROLE_PREFIX, "team-",
                    OperatorSettings.ROLE_PATH, "/platform/workloads/",
                    OperatorSettings.AWS_ENDPOINT_URL, "http://localhost:5000",
                    OperatorSettings.PERMISSIONS_BOUNDARY_ARN,
                        " arn:aws:iam::123456789012:policy/boundary ",
                    OperatorSettings.WATCH_NAMESPACES, "payments, orders,,",
                    OperatorSettings.RESYNC_PERIOD, "30m",
                    OperatorSettings.IAM_REQUESTS_PER_SECOND, "2.5",
                    OperatorSettings.MAX_CONCURRENT_RECONCILIATIONS, "4",
                    OperatorSettings.METRICS_PORT, "0")));

    assertThat(settings.rolePrefix()).isEqualTo("team-");
    assertThat(settings.rolePath()).isEqualTo("/platform/workloads/");
    assertThat(settings.awsEndpoint()).contains(URI.create("http://localhost:5000"));
    assertThat(settings.permissionsBoundaryArn())
        .isEqualTo(Optional.of("arn:aws:iam::123456789012:policy/boundary"));
    assertThat(settings.watchNamespaces()).isEqualTo(Set.of("payments", "orders"));
    assertThat(settings.resyncPeriod()).isEqualTo(Duration.ofMinutes(30));
    assertThat(settings.iamRequestsPerSecond()).isEqualTo(2.5);
    assertThat(settings.maxConcurrentReconciliations()).isEqualTo(4);
    assertThat(settings.metricsPort()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"30m, PT30M", "1h, PT1H", "45s, PT45S", "90m, PT1H30M"})
  void resyncPeriodAcceptsSecondsMinutesAndHours(String value, Duration expected) {
    var settings =
        OperatorSettings.fromEnvironment(with(Map.of(OperatorSettings.RESYNC_PERIOD, value)));

    assertThat(settings.resyncPeriod()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"2s, PT2S", "1m, PT1M", "5m, PT5M"})
  void awsDriftPeriodTakesTheResyncPeriodsSyntax(String value, Duration expected) {
    var settings =
        OperatorSettings.fromEnvironment(with(Map.of(OperatorSettings.AWS_DRIFT_PERIOD, value)));

    assertThat(settings.awsDriftPeriod()).isEqualTo(expected);
  }

  @Test
  void settingsBuiltInCodeGetTheDefaultAwsDriftPeriod() {
    assertThat(OperatorSettings.builder().build().awsDriftPeriod())
        .isEqualTo(OperatorSettings.DEFAULT_AWS_DRIFT_PERIOD);
  }

  @Test
  void blankOptionalVariablesFallBackToTheirDefaults() {
    var settings =
        OperatorSettings.fromEnvironment(
            with(
                Map.of(
                    OperatorSettings.ROLE_PREFIX, " ",
                    OperatorSettings.AWS_ENDPOINT_URL, "",
                    OperatorSettings.RESYNC_PERIOD, "  ")));

    assertThat(settings.rolePrefix()).isEqualTo("sw-");
    assertThat(settings.awsEndpoint()).isEmpty();
    assertThat(settings.resyncPeriod()).isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest
  @CsvSource({
    "https://oidc.eks.us-west-2.amazonaws.com/id/ABC, oidc.eks.us-west-2.amazonaws.com/id/ABC",
    "https://oidc.eks.us-west-2.amazonaws.com/id/ABC/, oidc.eks.us-west-2.amazonaws.com/id/ABC",
    "https://issuer.example.com, issuer.example.com",
    "https://issuer.example.com/, issuer.example.com",
    "https://issuer.example.com:8443/k8s, issuer.example.com:8443/k8s"
  })
  void oidcProviderIsNamedByHostAndPathWithoutSchemeOrTrailingSlash(String url, String expected) {
    var settings =
        OperatorSettings.fromEnvironment(with(Map.of(OperatorSettings.OIDC_ISSUER_URL, url)));

    assertThat(settings.oidcProviderHostPath()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "us-west-2, aws",
    "eu-central-1, aws",
    "cn-north-1, aws-cn",
    "cn-northwest-1, aws-cn",
    "us-gov-west-1, aws-us-gov"
  })
  void partitionFollowsTheRegion(String region, String partition) {
    var settings =
        OperatorSettings.fromEnvironment(with(Map.of(OperatorSettings.AWS_REGION, region)));

    assertThat(settings.partition()).isEqualTo(partition);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        OperatorSettings.CLUSTER_NAME,
        OperatorSettings.OIDC_ISSUER_URL,
        OperatorSettings.AWS_REGION
      })
  void missingRequiredVariableIsNamed(String variable) {
    var env = new HashMap<>(required());
    env.remove(variable);

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable + " is required");
  }

  @ParameterizedTest
  @CsvSource({
    "SW_CLUSTER_NAME, prod_cluster",
    "SW_CLUSTER_NAME, -prod",
    "SW_OIDC_ISSUER_URL, http://oidc.example.com/id/ABC",
    "SW_OIDC_ISSUER_URL, https://oidc.example.com/id?x=1",
    "SW_OIDC_ISSUER_URL, not a url",
    "SW_AWS_REGION, us-west",
    "SW_AWS_REGION, US-WEST-2",
    "SW_ROLE_PREFIX, a-prefix-that-is-too-long",
    "SW_ROLE_PATH, secureworkload",
    "SW_ROLE_PATH, /secureworkload",
    "SW_AWS_ENDPOINT_URL, ftp://localhost:5000",
    "SW_RESYNC_PERIOD, 1d",
    "SW_RESYNC_PERIOD, 30",
    "SW_AWS_DRIFT_PERIOD, 0s",
    "SW_AWS_DRIFT_PERIOD, 1d",
    "SW_EKS_CLUSTER_NAME, -prod",
    "SW_EKS_ENDPOINT, ftp://localhost:5000",
    "SW_EKS_REQUESTS_PER_SECOND, 0",
    "SW_EKS_REQUESTS_PER_SECOND, fast",
    "SW_POD_IDENTITY_ASSOCIATION_QUOTA, 0",
    "SW_POD_IDENTITY_ASSOCIATION_QUOTA, many"
  })
  void invalidValueIsRejectedNamingTheVariableAndTheValue(String variable, String value) {
    var env = with(Map.of(variable, value));

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable + "=" + value + " is not");
  }

  @ParameterizedTest
  @CsvSource({
    "SW_IAM_REQUESTS_PER_SECOND, 0",
    "SW_IAM_REQUESTS_PER_SECOND, fast",
    "SW_MAX_CONCURRENT_RECONCILIATIONS, 0",
    "SW_MAX_CONCURRENT_RECONCILIATIONS, 2.5",
    "SW_METRICS_PORT, 65536",
    "SW_METRICS_PORT, -1",
    "SW_METRICS_PORT, http"
  })
  void invalidNumberIsRejectedNamingTheVariableAndTheValue(String variable, String value) {
    var env = with(Map.of(variable, value));

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable + "=" + value + " is not");
  }

  @ParameterizedTest
  @CsvSource({"Enforce, Enforce", "Audit, Audit", "' ', Enforce"})
  void theBuiltInDefaultPolicyEnforcesUnlessSetToAudit(String value, Mode expected) {
    var settings =
        OperatorSettings.fromEnvironment(with(Map.of(OperatorSettings.DEFAULT_POLICY_MODE, value)));

    assertThat(settings.defaultPolicyMode()).isEqualTo(expected);
    assertThat(OperatorSettings.fromEnvironment(required()).defaultPolicyMode())
        .isEqualTo(Mode.Enforce);
    assertThat(OperatorSettings.builder().build().defaultPolicyMode()).isEqualTo(Mode.Enforce);
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "AUDIT", "Warn", "off"})
  void aDefaultPolicyModeOtherThanEnforceOrAuditIsRejectedNamingTheSetting(String value) {
    var env = with(Map.of(OperatorSettings.DEFAULT_POLICY_MODE, value));

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SW_DEFAULT_POLICY_MODE=" + value + " is not Enforce or Audit");
  }

  @Test
  void accountSettingsDefaultAndCanBeSetPerAccount() {
    var defaults = OperatorSettings.fromEnvironment(required());
    var env = new HashMap<>(required());
    env.put(OperatorSettings.IAM_REQUESTS_PER_SECOND, "8");
    env.put(OperatorSettings.ACCOUNT_IAM_REQUESTS_PER_SECOND, "111122223333=5, 444455556666=20.5");
    env.put(OperatorSettings.OPERATOR_NAMESPACE, "secure-workload-system");
    env.put(OperatorSettings.STS_TIMEOUT, "5s");
    env.put(OperatorSettings.ROLE_QUOTA, "5000");
    env.put(OperatorSettings.ROLE_SWITCH_GRACE_PERIOD, "6h");
    var settings = OperatorSettings.fromEnvironment(env);

    assertThat(defaults.operatorNamespace()).isEmpty();
    assertThat(defaults.accountIamRequestsPerSecond()).isEmpty();
    assertThat(defaults.stsTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.roleQuota()).isEqualTo(1000);
    assertThat(defaults.roleSwitchGracePeriod()).isEqualTo(Duration.ofHours(12));
    assertThat(settings.iamRequestsPerSecond("111122223333")).isEqualTo(5.0);
    assertThat(settings.iamRequestsPerSecond("444455556666")).isEqualTo(20.5);
    assertThat(settings.iamRequestsPerSecond("777788889999")).as("unlisted").isEqualTo(8.0);
    assertThat(settings.operatorNamespace()).contains("secure-workload-system");
    assertThat(settings.stsTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.roleQuota()).isEqualTo(5000);
    assertThat(settings.roleSwitchGracePeriod()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void eksSettingsDefaultToTheClusterAndTheAwsEndpoint() {
    var settings = OperatorSettings.fromEnvironment(required());

    assertThat(settings.eksClusterName()).isEqualTo(settings.clusterName());
    assertThat(settings.eksEndpoint()).isEmpty();
    assertThat(settings.eksRequestsPerSecond()).isEqualTo(10.0);
    assertThat(settings.podIdentityAssociationQuota()).isEqualTo(5000);
  }

  @Test
  void eksSettingsAreRead() {
    var env = new HashMap<>(required());
    env.put(OperatorSettings.EKS_CLUSTER_NAME, "prod_eks-1");
    env.put(OperatorSettings.EKS_ENDPOINT, "http://localhost:4566");
    env.put(OperatorSettings.EKS_REQUESTS_PER_SECOND, "2.5");
    env.put(OperatorSettings.POD_IDENTITY_ASSOCIATION_QUOTA, "20000");
    var settings = OperatorSettings.fromEnvironment(env);

    assertThat(settings.eksClusterName()).isEqualTo("prod_eks-1");
    assertThat(settings.eksEndpoint()).contains(URI.create("http://localhost:4566"));
    assertThat(settings.eksRequestsPerSecond()).isEqualTo(2.5);
    assertThat(settings.podIdentityAssociationQuota()).isEqualTo(20000);
  }

  @Test
  void theEksClusterNameOfSettingsBuiltInCodeIsTheClusterName() {
    var settings = OperatorSettings.builder().clusterName("prod").build();

    assertThat(settings.eksClusterName()).isEqualTo("prod");
    assertThat(settings.eksRequestsPerSecond()).isEqualTo(10.0);
    assertThat(settings.podIdentityAssociationQuota()).isEqualTo(5000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1111=5", "111122223333=0", "111122223333", "111122223333=fast"})
  void aPerAccountRateThatIsNotAnAccountAndAPositiveNumberIsNamed(String value) {
    var env = new HashMap<>(required());
    env.put(OperatorSettings.ACCOUNT_IAM_REQUESTS_PER_SECOND, value);

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(OperatorSettings.ACCOUNT_IAM_REQUESTS_PER_SECOND + "=" + value)
        .hasMessageContaining("account=rate pairs");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    var env = new HashMap<String, String>();
    env.put(OperatorSettings.OIDC_ISSUER_URL, "http://insecure.example.com");
    env.put(OperatorSettings.AWS_REGION, "mars");
    env.put(OperatorSettings.RESYNC_PERIOD, "weekly");

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid operator settings: ")
        .hasMessageContaining(OperatorSettings.CLUSTER_NAME + " is required")
        .hasMessageContaining(OperatorSettings.OIDC_ISSUER_URL + "=http://insecure.example.com")
        .hasMessageContaining(OperatorSettings.AWS_REGION + "=mars")
        .hasMessageContaining(OperatorSettings.RESYNC_PERIOD + "=weekly");
  }

  @Test
  void numericProblemsAreReportedTogetherWithTheOthers() {
    var env = new HashMap<String, String>();
    env.put(OperatorSettings.AWS_REGION, "mars");
    env.put(OperatorSettings.METRICS_PORT, "99999");

    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(OperatorSettings.CLUSTER_NAME + " is required")
        .hasMessageContaining(OperatorSettings.AWS_REGION + "=mars")
        .hasMessageContaining(OperatorSettings.METRICS_PORT + "=99999");
  }

  private static Map<String, String> required() {
    return Map.of(
        OperatorSettings.CLUSTER_NAME, "prod",
        OperatorSettings.OIDC_ISSUER_URL, ISSUER,
        OperatorSettings.AWS_REGION, "us-west-2");
  }

  private static Map<String, String> with(Map<String, String> overrides) {
    var env = new HashMap<>(required());
    env.putAll(overrides);
    return env;
  }
}
