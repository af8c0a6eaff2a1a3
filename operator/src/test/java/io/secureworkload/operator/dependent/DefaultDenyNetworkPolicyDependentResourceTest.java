package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultDenyNetworkPolicyDependentResourceTest {

  // Two labels, so that selectsExactlyTheWorkloadsPods sees the whole selector copied.
  private static final String BACKEND_SELECTOR =
      "selector: {matchLabels: {app: api, tier: backend}}\n";

  private final DefaultDenyNetworkPolicyDependentResource dependent =
      new DefaultDenyNetworkPolicyDependentResource(
          TestServices.of(TestSettings.withAwsApiCidrs(java.util.List.of())));

  private final Context<SecureWorkload> context = TestContexts.context();

  @Test
  void isNotRequestedWithoutANetworkSpec() {
    assertThat(dependent.isRequested(backend(""))).isFalse();
  }

  @Test
  void isRequestedByDefault() {
    assertThat(dependent.isRequested(backend("network: {}"))).isTrue();
  }

  @Test
  void isRequestedWhileOneDirectionIsDenied() {
    assertThat(dependent.isRequested(backend("network: {defaultDeny: {ingress: false}}"))).isTrue();
    assertThat(dependent.isRequested(backend("network: {defaultDeny: {egress: false}}"))).isTrue();
  }

  @Test
  void isNotRequestedWhenNeitherDirectionIsDenied() {
    assertThat(
            dependent.isRequested(
                backend("network: {defaultDeny: {ingress: false, egress: false}}")))
        .isFalse();
  }

  @Test
  void deniesBothDirectionsByDefault() {
    var policy = desired("network: {}");

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
  }

  @Test
  void deniesOnlyIngressWhenEgressIsNotDenied() {
    assertThat(desired("network: {defaultDeny: {egress: false}}").getSpec().getPolicyTypes())
        .containsExactly("Ingress");
  }

  @Test
  void deniesOnlyEgressWhenIngressIsNotDenied() {
    assertThat(desired("network: {defaultDeny: {ingress: false}}").getSpec().getPolicyTypes())
        .containsExactly("Egress");
  }

  @Test
  void deniesEvenWithRulesDeclared() {
    var policy =
        desired(
            """
            network:
              ingress: [{ports: [{port: 8080}]}]
              egress: [{ports: [{port: 5432}]}]
            """);

    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
  }

  @Test
  void selectsExactlyTheWorkloadsPods() {
    var podSelector = desired("network: {}").getSpec().getPodSelector();

    assertThat(podSelector.getMatchLabels())
        .isNotEmpty()
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api", "tier", "backend"));
    assertThat(podSelector.getMatchExpressions()).isNullOrEmpty();
  }

  private NetworkPolicy desired(String networkYaml) {
    return dependent.desired(backend(networkYaml), context);
  }

  private static SecureWorkload backend(String specYaml) {
    return TestWorkloads.paymentsApi(BACKEND_SELECTOR + specYaml);
  }
}
