package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.EgressRule;
import io.secureworkload.operator.api.IngressRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkIntentTest {

  private static final List<String> CIDRS = List.of("10.0.100.0/24");

  @Test
  void noIntentWithoutANetworkSpec() {
    assertThat(NetworkIntent.of(minimal())).isEmpty();
  }

  @Test
  void emptyNetworkSpecDeniesBothDirectionsAndAllowsDnsAndAwsApis() {
    var intent = intent("network: {}");

    assertThat(intent.denyIngress()).isTrue();
    assertThat(intent.denyEgress()).isTrue();
    assertThat(intent.allowDns()).isTrue();
    assertThat(intent.allowAwsApis()).isTrue();
    assertThat(intent.ingress()).isEmpty();
    assertThat(intent.egress()).isEmpty();
  }

  @Test
  void emptyDefaultDenyDeniesBothDirections() {
    var intent = intent("network: {defaultDeny: {}}");

    assertThat(intent.denyIngress()).isTrue();
    assertThat(intent.denyEgress()).isTrue();
  }

  @Test
  void explicitFalseDefaultDenyIsHonouredPerDirection() {
    var noIngress = intent("network: {defaultDeny: {ingress: false}}");
    var noEgress = intent("network: {defaultDeny: {egress: false}}");

    assertThat(noIngress.denyIngress()).isFalse();
    assertThat(noIngress.denyEgress()).isTrue();
    assertThat(noEgress.denyIngress()).isTrue();
    assertThat(noEgress.denyEgress()).isFalse();
  }

  @Test
  void explicitTrueIsTheSameAsUnset() {
    var intent =
        intent(
            "network: {defaultDeny: {ingress: true, egress: true}, allowDns: true,"
                + " allowAwsApis: true}");

    assertThat(intent).isEqualTo(intent("network: {}"));
  }

  @Test
  void explicitFalseAllowDnsAndAllowAwsApisAreHonoured() {
    var intent = intent("network: {allowDns: false, allowAwsApis: false}");

    assertThat(intent.allowDns()).isFalse();
    assertThat(intent.allowAwsApis()).isFalse();
    assertThat(intent.denyEgress()).isTrue();
  }

  @Test
  void rulesAreTakenFromTheSpec() {
    var intent =
        intent(
            """
            network:
              ingress:
                - ports: [{port: 8080}]
              egress:
                - ports: [{port: 5432}]
                - ports: [{port: 443}]
            """);

    assertThat(intent.ingress()).hasSize(1);
    assertThat(intent.egress()).hasSize(2);
    assertThat(intent.egress().get(1).getPorts().get(0).getPort()).isEqualTo(443);
  }

  @ParameterizedTest(name = "denyIngress={0} denyEgress={1} -> {2}")
  @CsvSource({"true,true,true", "true,false,true", "false,true,true", "false,false,false"})
  void needsDefaultDenyWhenEitherDirectionIsDenied(
      boolean denyIngress, boolean denyEgress, boolean expected) {
    assertThat(intent(denyIngress, denyEgress, true, true, false, false).needsDefaultDeny())
        .isEqualTo(expected);
  }

  @Test
  void needsIngressPolicyOnlyWithIngressRules() {
    assertThat(intent(true, true, true, true, true, false).needsIngressPolicy()).isTrue();
    assertThat(intent(false, false, false, false, true, false).needsIngressPolicy()).isTrue();
    assertThat(intent(true, true, true, true, false, true).needsIngressPolicy()).isFalse();
  }

  @ParameterizedTest(
      name = "egressRules={0} denyEgress={1} allowDns={2} allowAwsApis={3} cidrs={4} -> {5}")
  @CsvSource({
    // Declared rules always need the policy.
    "true,  false, false, false, false, true",
    "true,  true,  true,  true,  true,  true",
    "true,  true,  false, false, false, true",
    // Without rules, egress that is not denied needs nothing.
    "false, false, true,  true,  true,  false",
    "false, false, false, false, false, false",
    // Denied egress needs the policy to let DNS or AWS through.
    "false, true,  true,  true,  true,  true",
    "false, true,  true,  false, false, true",
    "false, true,  true,  true,  false, true",
    "false, true,  false, true,  true,  true",
    // ... and nothing when neither can be allowed: the default deny covers it.
    "false, true,  false, true,  false, false",
    "false, true,  false, false, true,  false",
    "false, true,  false, false, false, false",
  })
  void needsEgressPolicy(
      boolean egressRules,
      boolean denyEgress,
      boolean allowDns,
      boolean allowAwsApis,
      boolean cidrs,
      boolean expected) {
    var intent = intent(true, denyEgress, allowDns, allowAwsApis, false, egressRules);

    assertThat(intent.needsEgressPolicy(cidrs ? CIDRS : List.of())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "allowAwsApis={0} cidrs={1} -> {2}")
  @CsvSource({"true,true,true", "true,false,false", "false,true,false", "false,false,false"})
  void reachesAwsOnlyWhenAllowedAndTheEndpointsAreKnown(
      boolean allowAwsApis, boolean cidrs, boolean expected) {
    var intent = intent(true, true, true, allowAwsApis, false, false);

    assertThat(intent.reachesAws(cidrs ? CIDRS : List.of())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "denyEgress={0} egressRules={1} -> {2}")
  @CsvSource({"true,false,true", "false,true,true", "true,true,true", "false,false,false"})
  void egressIsRestrictedByADenyOrByDeclaredRules(
      boolean denyEgress, boolean egressRules, boolean expected) {
    var intent = intent(true, denyEgress, true, true, false, egressRules);

    assertThat(intent.egressRestricted()).isEqualTo(expected);
  }

  @Test
  void egressIsNotRestrictedWhenTheSpecOnlyDeniesIngress() {
    assertThat(intent("network: {defaultDeny: {egress: false}}").egressRestricted()).isFalse();
  }

  private static NetworkIntent intent(
      boolean denyIngress,
      boolean denyEgress,
      boolean allowDns,
      boolean allowAwsApis,
      boolean ingressRules,
      boolean egressRules) {
    return new NetworkIntent(
        denyIngress,
        denyEgress,
        allowDns,
        allowAwsApis,
        ingressRules ? List.of(new IngressRule()) : List.of(),
        egressRules ? List.of(new EgressRule()) : List.of());
  }

  private static NetworkIntent intent(String specYaml) {
    return NetworkIntent.of(withSpec(specYaml)).orElseThrow();
  }
}
