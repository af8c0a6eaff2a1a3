package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestNetworkPolicies.EVERY_ADDRESS_AND_POD;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.ipBlock;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.labels;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.port;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressNetworkPolicyDependentResourceTest {

  private static final String ONE_RULE =
      """
      network:
        ingress:
          - from: [{podSelector: {matchLabels: {app: frontend}}}]
            ports: [{port: 8080}]
      """;

  private final IngressNetworkPolicyDependentResource dependent =
      new IngressNetworkPolicyDependentResource(
          TestServices.of(TestSettings.inRegion("us-west-2")));

  private final Context<SecureWorkload> context = TestContexts.context();

  @Test
  void isNotRequestedWithoutANetworkSpec() {
    assertThat(dependent.isRequested(minimal())).isFalse();
  }

  @Test
  void isNotRequestedWithoutIngressRules() {
    assertThat(dependent.isRequested(withSpec("network: {}"))).isFalse();
    assertThat(dependent.isRequested(withSpec("network: {ingress: []}"))).isFalse();
  }

  @Test
  void isRequestedWithIngressRulesWhetherOrNotIngressIsDenied() {
    assertThat(dependent.isRequested(withSpec(ONE_RULE))).isTrue();
    assertThat(
            dependent.isRequested(
                withSpec(
                    ONE_RULE.replace("network:\n", "network:\n  defaultDeny: {ingress: false}\n"))))
        .isTrue();
  }

  @Test
  void spellsOutPolicyTypesAsIngressOnly() {
    assertThat(desired(ONE_RULE).getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(desired(ONE_RULE).getSpec().getEgress()).isNullOrEmpty();
  }

  @Test
  void selectsExactlyTheWorkloadsPods() {
    var podSelector = desired(ONE_RULE).getSpec().getPodSelector();

    assertThat(podSelector.getMatchLabels())
        .isNotEmpty()
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api"));
    assertThat(podSelector.getMatchExpressions()).isNullOrEmpty();
  }

  @Test
  void portWithoutProtocolIsTcp() {
    var rule = desired(ONE_RULE).getSpec().getIngress().get(0);

    assertThat(rule.getPorts())
        .containsExactly(
            new NetworkPolicyPortBuilder()
                .withProtocol("TCP")
                .withPort(new IntOrString(8080))
                .build());
  }

  @Test
  void everyPortHasItsProtocolAndRangesKeepTheirEndPort() {
    var rule =
        desired(
                """
                network:
                  ingress:
                    - ports:
                        - {port: 8080}
                        - {protocol: UDP, port: 5353}
                        - {protocol: SCTP, port: 9000, endPort: 9100}
                        - {port: 30000, endPort: 32767}
                """)
            .getSpec()
            .getIngress()
            .get(0);

    assertThat(rule.getPorts())
        .containsExactly(
            port("TCP", 8080, null),
            port("UDP", 5353, null),
            port("SCTP", 9000, 9100),
            port("TCP", 30000, 32767));
  }

  /** Kubernetes reads a rule without peers as every address, the metadata addresses included. */
  @Test
  void aRuleWithoutSourcesIsWrittenAsEveryAddressButMetadataAndEveryPod() {
    for (var rules : List.of("[{ports: [{port: 8080}]}]", "[{from: [], ports: [{port: 8080}]}]")) {
      var rule = desired("network: {ingress: " + rules + "}").getSpec().getIngress().get(0);

      assertThat(rule.getFrom()).as(rules).containsExactlyElementsOf(EVERY_ADDRESS_AND_POD);
    }
  }

  @Test
  void blocksAreWrittenInTheirCanonicalForm() {
    var peers =
        desired(
                """
                network:
                  ingress:
                    - from:
                        - ipBlock: {cidr: '::ffff:10.1.0.0/112', except: [10.1.9.1/24]}
                        - ipBlock: {cidr: 'FD00:0:0:0:0:0:0:0/8'}
                """)
            .getSpec()
            .getIngress()
            .get(0)
            .getFrom();

    assertThat(peers)
        .extracting(p -> p.getIpBlock().getCidr() + " " + p.getIpBlock().getExcept())
        .containsExactly("10.1.0.0/16 [10.1.9.0/24]", "fd00::/8 []");
  }

  @Test
  void peersKeepTheirSelectorsAndIpBlocks() {
    var rule =
        desired(
                """
                network:
                  ingress:
                    - from:
                        - podSelector: {matchLabels: {app: frontend}}
                        - namespaceSelector: {matchLabels: {team: web}}
                        - podSelector: {matchLabels: {app: gateway}}
                          namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: edge}}
                        - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24, 10.0.2.0/24]}
                        - ipBlock: {cidr: 192.168.0.0/24}
                """)
            .getSpec()
            .getIngress()
            .get(0);

    assertThat(rule.getFrom())
        .containsExactly(
            new NetworkPolicyPeerBuilder().withPodSelector(labels("app", "frontend")).build(),
            new NetworkPolicyPeerBuilder().withNamespaceSelector(labels("team", "web")).build(),
            new NetworkPolicyPeerBuilder()
                .withPodSelector(labels("app", "gateway"))
                .withNamespaceSelector(labels("kubernetes.io/metadata.name", "edge"))
                .build(),
            new NetworkPolicyPeerBuilder()
                .withIpBlock(
                    new IPBlockBuilder()
                        .withCidr("10.0.0.0/16")
                        .withExcept("10.0.1.0/24", "10.0.2.0/24")
                        .build())
                .build(),
            ipBlock("192.168.0.0/24"));
    assertThat(rule.getFrom().get(4).getIpBlock().getExcept()).isNullOrEmpty();
    assertThat(rule.getPorts()).isNullOrEmpty();
  }

  @Test
  void emptyPeerSelectorSelectsEverythingWithoutAnEmptyLabelMap() {
    var peer =
        desired(
                """
                network:
                  ingress:
                    - from: [{namespaceSelector: {}}]
                """)
            .getSpec()
            .getIngress()
            .get(0)
            .getFrom()
            .get(0);

    assertThat(peer.getNamespaceSelector()).isNotNull();
    assertThat(peer.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(peer.getPodSelector()).isNull();
  }

  @Test
  void oneIngressRulePerDeclaredRuleInOrder() {
    var rules =
        desired(
                """
                network:
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: frontend}}}]
                      ports: [{port: 8080}]
                    - from: [{podSelector: {matchLabels: {app: prometheus}}}]
                      ports: [{port: 9090}]
                """)
            .getSpec()
            .getIngress();

    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app", "frontend");
    assertThat(rules.get(1).getPorts().get(0).getPort()).isEqualTo(new IntOrString(9090));
  }

  private NetworkPolicy desired(String networkYaml) {
    return dependent.desired(withSpec(networkYaml), context);
  }
}
