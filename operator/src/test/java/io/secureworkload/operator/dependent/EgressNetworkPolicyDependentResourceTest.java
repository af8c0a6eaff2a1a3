package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestNetworkPolicies.EVERY_ADDRESS_AND_POD;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.ipBlock;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.labels;
import static io.secureworkload.operator.testsupport.TestNetworkPolicies.port;
import static io.secureworkload.operator.testsupport.TestSettings.withAwsApiCidrs;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressNetworkPolicyDependentResourceTest {

  private static final List<String> AWS_CIDRS = List.of("10.0.100.0/24", "10.0.101.0/24");

  private static final String DATABASE_RULE =
      """
      network:
        egress:
          - to: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.9.0/24]}}]
            ports: [{port: 5432}]
      """;

  private static final NetworkPolicyEgressRule DNS_RULE =
      new NetworkPolicyEgressRuleBuilder()
          .withTo(
              new NetworkPolicyPeerBuilder()
                  .withNamespaceSelector(labels("kubernetes.io/metadata.name", "kube-system"))
                  .withPodSelector(labels("k8s-app", "kube-dns"))
                  .build())
          .withPorts(port("UDP", 53, null), port("TCP", 53, null))
          .build();

  private static final NetworkPolicyEgressRule AWS_RULE =
      new NetworkPolicyEgressRuleBuilder()
          .withTo(ipBlock("10.0.100.0/24"), ipBlock("10.0.101.0/24"))
          .withPorts(port("TCP", 443, null))
          .build();

  private final EgressNetworkPolicyDependentResource withAwsCidrs =
      new EgressNetworkPolicyDependentResource(TestServices.of(withAwsApiCidrs(AWS_CIDRS)));

  private final EgressNetworkPolicyDependentResource withoutAwsCidrs =
      new EgressNetworkPolicyDependentResource(TestServices.of(withAwsApiCidrs(List.of())));

  private final Context<SecureWorkload> context = TestContexts.planned(IdentityMode.IRSA);

  @Test
  void isNotRequestedWithoutANetworkSpec() {
    assertThat(withAwsCidrs.isRequested(minimal())).isFalse();
  }

  @Test
  void isRequestedByDefaultToLetDnsAndAwsThrough() {
    assertThat(withAwsCidrs.isRequested(withSpec("network: {}"))).isTrue();
    assertThat(withoutAwsCidrs.isRequested(withSpec("network: {}"))).isTrue();
  }

  @Test
  void isNotRequestedWhenEgressIsNotDeniedAndNoRuleIsDeclared() {
    assertThat(withAwsCidrs.isRequested(withSpec("network: {defaultDeny: {egress: false}}")))
        .isFalse();
  }

  @Test
  void isRequestedForTheAwsRuleAloneWhenDnsIsSwitchedOff() {
    assertThat(withAwsCidrs.isRequested(withSpec("network: {allowDns: false}"))).isTrue();
    assertThat(withoutAwsCidrs.isRequested(withSpec("network: {allowDns: false}"))).isFalse();
  }

  @Test
  void isNotRequestedWhenDnsAndAwsAreBothSwitchedOff() {
    assertThat(
            withAwsCidrs.isRequested(withSpec("network: {allowDns: false, allowAwsApis: false}")))
        .isFalse();
  }

  @Test
  void isRequestedWithDeclaredRulesEvenWhenEgressIsNotDenied() {
    var spec =
        DATABASE_RULE.replace(
            "network:\n",
            "network:\n  defaultDeny: {egress: false}\n  allowDns: false\n  allowAwsApis: false\n");

    assertThat(withoutAwsCidrs.isRequested(withSpec(spec))).isTrue();
  }

  @Test
  void spellsOutPolicyTypesAsEgressOnly() {
    var policy = withAwsCidrs.desired(withSpec("network: {}"), context);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
  }

  @Test
  void selectsExactlyTheWorkloadsPods() {
    var podSelector =
        withAwsCidrs.desired(withSpec("network: {}"), context).getSpec().getPodSelector();

    assertThat(podSelector.getMatchLabels())
        .isNotEmpty()
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api"));
    assertThat(podSelector.getMatchExpressions()).isNullOrEmpty();
  }

  @Test
  void byDefaultAllowsDnsToTheClusterDnsPodsAndHttpsToEveryAwsCidr() {
    var rules = withAwsCidrs.desired(withSpec("network: {}"), context).getSpec().getEgress();

    assertThat(rules).containsExactly(DNS_RULE, AWS_RULE);
  }

  @Test
  void inPodIdentityModeThePodsReachTheNodesPodIdentityAgentAndNothingElseThere() {
    var podIdentity = TestContexts.planned(IdentityMode.PodIdentity);

    var rules = withAwsCidrs.desired(withSpec("network: {}"), podIdentity).getSpec().getEgress();

    assertThat(rules)
        .containsExactly(
            DNS_RULE,
            AWS_RULE,
            new NetworkPolicyEgressRuleBuilder()
                .withTo(
                    new NetworkPolicyPeerBuilder()
                        .withIpBlock(new IPBlockBuilder().withCidr("169.254.170.23/32").build())
                        .build(),
                    new NetworkPolicyPeerBuilder()
                        .withIpBlock(new IPBlockBuilder().withCidr("fd00:ec2::23/128").build())
                        .build())
                .withPorts(NetworkPolicies.port("TCP", 80, null))
                .build());
    assertThat(
            withAwsCidrs
                .desired(withSpec("network: {allowAwsApis: false}"), podIdentity)
                .getSpec()
                .getEgress())
        .as("no AWS access at all")
        .containsExactly(DNS_RULE);
  }

  @Test
  void declaredRulesComeFirstThenDnsThenAws() {
    var rules = withAwsCidrs.desired(withSpec(DATABASE_RULE), context).getSpec().getEgress();

    assertThat(rules)
        .containsExactly(
            new NetworkPolicyEgressRuleBuilder()
                .withTo(
                    new NetworkPolicyPeerBuilder()
                        .withIpBlock(
                            new IPBlockBuilder()
                                .withCidr("10.1.0.0/16")
                                .withExcept("10.1.9.0/24")
                                .build())
                        .build())
                .withPorts(port("TCP", 5432, null))
                .build(),
            DNS_RULE,
            AWS_RULE);
  }

  @Test
  void dnsRuleFollowsTheConfiguredDnsNamespaceAndPodLabels() {
    var settings =
        withAwsApiCidrs(List.of()).toBuilder()
            .dnsNamespace("dns-system")
            .dnsPodLabels(Map.of("app.kubernetes.io/name", "coredns"))
            .build();

    var rules =
        new EgressNetworkPolicyDependentResource(TestServices.of(settings))
            .desired(withSpec("network: {}"), context)
            .getSpec()
            .getEgress();

    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).getTo())
        .containsExactly(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(labels("kubernetes.io/metadata.name", "dns-system"))
                .withPodSelector(labels("app.kubernetes.io/name", "coredns"))
                .build());
    assertThat(rules.get(0).getPorts())
        .containsExactly(port("UDP", 53, null), port("TCP", 53, null));
  }

  @Test
  void noDnsRuleWhenDnsIsSwitchedOff() {
    var rules =
        withAwsCidrs.desired(withSpec("network: {allowDns: false}"), context).getSpec().getEgress();

    assertThat(rules).containsExactly(AWS_RULE);
  }

  @Test
  void noAwsRuleWhenAwsApisAreSwitchedOff() {
    var rules =
        withAwsCidrs
            .desired(withSpec("network: {allowAwsApis: false}"), context)
            .getSpec()
            .getEgress();

    assertThat(rules).containsExactly(DNS_RULE);
  }

  @Test
  void noAwsRuleWhenThePlatformConfiguredNoAwsCidrs() {
    var rules = withoutAwsCidrs.desired(withSpec("network: {}"), context).getSpec().getEgress();

    assertThat(rules).containsExactly(DNS_RULE);
  }

  @Test
  void declaredRulesAloneWhenDnsAndAwsAreSwitchedOff() {
    var spec =
        DATABASE_RULE.replace("network:\n", "network:\n  allowDns: false\n  allowAwsApis: false\n");

    var rules = withAwsCidrs.desired(withSpec(spec), context).getSpec().getEgress();

    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.1.0.0/16");
  }

  @Test
  void everyPortHasAProtocolAndRangesKeepTheirEndPort() {
    var spec =
        """
        network:
          egress:
            - to: [{podSelector: {matchLabels: {app: cache}}}]
              ports:
                - {port: 6379}
                - {protocol: UDP, port: 8125}
                - {port: 7000, endPort: 7010}
            - to: [{namespaceSelector: {matchLabels: {team: data}}}]
        """;

    var rules = withAwsCidrs.desired(withSpec(spec), context).getSpec().getEgress();

    assertThat(rules.get(0).getPorts())
        .containsExactly(port("TCP", 6379, null), port("UDP", 8125, null), port("TCP", 7000, 7010));
    assertThat(rules.get(1).getPorts()).isNullOrEmpty();
    assertThat(rules.get(1).getTo())
        .containsExactly(
            new NetworkPolicyPeerBuilder().withNamespaceSelector(labels("team", "data")).build());
    assertThat(
            rules.stream()
                .filter(rule -> rule.getPorts() != null)
                .flatMap(rule -> rule.getPorts().stream()))
        .isNotEmpty()
        .allSatisfy(port -> assertThat(port.getProtocol()).isNotNull());
  }

  @Test
  void peerWithBothSelectorsKeepsThemInOnePeer() {
    var spec =
        """
        network:
          egress:
            - to:
                - podSelector: {matchLabels: {app: db}}
                  namespaceSelector: {matchLabels: {team: data}}
        """;

    var peers = withAwsCidrs.desired(withSpec(spec), context).getSpec().getEgress().get(0).getTo();

    assertThat(peers)
        .containsExactly(
            new NetworkPolicyPeerBuilder()
                .withPodSelector(labels("app", "db"))
                .withNamespaceSelector(labels("team", "data"))
                .build());
  }

  /** Kubernetes reads a rule without peers as every address, the metadata addresses included. */
  @Test
  void aRuleWithoutDestinationsIsWrittenAsEveryAddressButMetadataAndEveryPod() {
    for (var rules : List.of("[{ports: [{port: 443}]}]", "[{to: [], ports: [{port: 443}]}]")) {
      var rule =
          withoutAwsCidrs
              .desired(withSpec("network: {allowDns: false, egress: " + rules + "}"), context)
              .getSpec()
              .getEgress()
              .get(0);

      assertThat(rule.getTo()).as(rules).containsExactlyElementsOf(EVERY_ADDRESS_AND_POD);
      assertThat(rule.getPorts()).containsExactly(port("TCP", 443, null));
    }
  }

  @Test
  void blocksAreWrittenInTheirCanonicalForm() {
    var spec =
        """
        network:
          egress:
            - to:
                - ipBlock: {cidr: '::ffff:a00:0/104', except: ['::ffff:10.0.0.0/112']}
                - ipBlock: {cidr: '2001:DB8:0:0:1:0:0:1/128'}
                - ipBlock: {cidr: 192.168.7.1/16}
        """;

    var peers = withAwsCidrs.desired(withSpec(spec), context).getSpec().getEgress().get(0).getTo();

    assertThat(peers)
        .containsExactly(
            ipBlock("10.0.0.0/8", "10.0.0.0/16"),
            ipBlock("2001:db8::1:0:0:1/128"),
            ipBlock("192.168.0.0/16"));
  }
}
