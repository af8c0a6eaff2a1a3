package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultDenyNetworkPolicyDependentResourceTest {

  private static final String MINIMAL =
      """
      apiVersion: secureworkload.io/v1alpha1
      kind: SecureWorkload
      metadata:
        name: api
        namespace: payments
      spec:
        selector:
          matchLabels:
            app: api
            tier: backend
      """;

  private final DefaultDenyNetworkPolicyDependentResource dependent =
      new DefaultDenyNetworkPolicyDependentResource();

  @SuppressWarnings("unchecked")
  private final Context<SecureWorkload> context = mock(Context.class);

  @Test
  void isNotRequestedWithoutANetworkSpec() {
    assertThat(dependent.isRequested(workload(MINIMAL))).isFalse();
  }

  @Test
  void isRequestedByDefault() {
    assertThat(dependent.isRequested(network("network: {}"))).isTrue();
  }

  @Test
  void isRequestedWhileOneDirectionIsDenied() {
    assertThat(dependent.isRequested(network("network: {defaultDeny: {ingress: false}}"))).isTrue();
    assertThat(dependent.isRequested(network("network: {defaultDeny: {egress: false}}"))).isTrue();
  }

  @Test
  void isNotRequestedWhenNeitherDirectionIsDenied() {
    assertThat(
            dependent.isRequested(
                network("network: {defaultDeny: {ingress: false, egress: false}}")))
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

  @Test
  void isNamedAfterTheWorkloadInItsNamespaceWithTheManagedByLabel() {
    var metadata = desired("network: {}").getMetadata();

    assertThat(metadata.getName()).isEqualTo("api-default-deny");
    assertThat(metadata.getNamespace()).isEqualTo("payments");
    assertThat(metadata.getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ManagedLabels.MANAGED_BY,
                ManagedLabels.MANAGED_BY_VALUE,
                ManagedLabels.WORKLOAD,
                "api"));
  }

  private NetworkPolicy desired(String networkYaml) {
    return dependent.desired(network(networkYaml), context);
  }

  /** A workload whose spec adds the given YAML (indented under spec). */
  private static SecureWorkload network(String specYaml) {
    var yaml = new StringBuilder(MINIMAL);
    specYaml.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
    return workload(yaml.toString());
  }

  private static SecureWorkload workload(String yaml) {
    return Serialization.unmarshal(yaml, SecureWorkload.class);
  }
}
