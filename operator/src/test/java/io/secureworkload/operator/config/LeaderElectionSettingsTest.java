package io.secureworkload.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SW_LEADER_ELECTION and SW_LEADER_ELECTION_NAMESPACE as the operator reads them. */
class LeaderElectionSettingsTest {

  @Test
  void offUnlessAskedFor() {
    var election = OperatorSettings.fromEnvironment(env(Map.of())).leaderElection();

    assertThat(election.enabled()).isFalse();
  }

  @Test
  void onInTheGivenNamespaceAsThePodNamedByHostname() {
    var election =
        OperatorSettings.fromEnvironment(
                env(
                    Map.of(
                        OperatorSettings.LEADER_ELECTION,
                        "on",
                        OperatorSettings.LEADER_ELECTION_NAMESPACE,
                        "secure-workload-system",
                        "HOSTNAME",
                        "secure-workload-operator-7d9f-abcde")))
            .leaderElection();

    assertThat(election.enabled()).isTrue();
    assertThat(election.namespace()).contains("secure-workload-system");
    assertThat(election.identity()).isEqualTo("secure-workload-operator-7d9f-abcde");
    assertThat(election.leaseDuration()).isEqualTo(LeaderElectionSettings.LEASE_DURATION);
  }

  @Test
  void wrongValuesAreNamed() {
    assertThatThrownBy(
            () ->
                OperatorSettings.fromEnvironment(
                    env(
                        Map.of(
                            OperatorSettings.LEADER_ELECTION, "yes",
                            OperatorSettings.LEADER_ELECTION_NAMESPACE, "Not_A_Namespace"))))
        .hasMessageContaining("SW_LEADER_ELECTION=yes is not on or off")
        .hasMessageContaining(
            "SW_LEADER_ELECTION_NAMESPACE=Not_A_Namespace is not a namespace name");
  }

  private static Map<String, String> env(Map<String, String> extra) {
    var env = new HashMap<String, String>();
    env.put(OperatorSettings.CLUSTER_NAME, "prod");
    env.put(OperatorSettings.OIDC_ISSUER_URL, "https://oidc.eks.us-west-2.amazonaws.com/id/ABC");
    env.put(OperatorSettings.AWS_REGION, "us-west-2");
    env.putAll(extra);
    return env;
  }
}
