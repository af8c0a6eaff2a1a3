package io.secureworkload.operator.dependent;

import io.secureworkload.operator.api.EgressRule;
import io.secureworkload.operator.api.IngressRule;
import io.secureworkload.operator.api.NetworkSpec;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.List;
import java.util.Optional;

/**
 * A workload's network spec with every default applied: what the three NetworkPolicy dependents and
 * the status read.
 */
public record NetworkIntent(
    boolean denyIngress,
    boolean denyEgress,
    boolean allowDns,
    boolean allowAwsApis,
    List<IngressRule> ingress,
    List<EgressRule> egress) {

  /** Empty when the workload asks for no network policies at all. */
  public static Optional<NetworkIntent> of(SecureWorkload workload) {
    var network = workload.getSpec().getNetwork();
    if (network == null) {
      return Optional.empty();
    }
    var defaultDeny =
        Optional.ofNullable(network.getDefaultDeny()).orElseGet(NetworkSpec.DefaultDeny::new);
    return Optional.of(
        new NetworkIntent(
            !Boolean.FALSE.equals(defaultDeny.getIngress()),
            !Boolean.FALSE.equals(defaultDeny.getEgress()),
            !Boolean.FALSE.equals(network.getAllowDns()),
            !Boolean.FALSE.equals(network.getAllowAwsApis()),
            Optional.ofNullable(network.getIngress()).orElse(List.of()),
            Optional.ofNullable(network.getEgress()).orElse(List.of())));
  }

  public boolean needsDefaultDeny() {
    return denyIngress || denyEgress;
  }

  public boolean needsIngressPolicy() {
    return !ingress.isEmpty();
  }

  /**
   * An egress policy isolates the pods' egress on its own, so it exists only when egress is denied
   * anyway or rules were declared; it then carries DNS and AWS rules too, unless switched off.
   */
  public boolean needsEgressPolicy(List<String> awsApiCidrs) {
    return !egress.isEmpty() || (denyEgress && (allowDns || reachesAws(awsApiCidrs)));
  }

  public boolean reachesAws(List<String> awsApiCidrs) {
    return allowAwsApis && !awsApiCidrs.isEmpty();
  }

  /** Egress is restricted by some policy, so AWS is reachable only through a declared path. */
  public boolean egressRestricted() {
    return denyEgress || !egress.isEmpty();
  }
}
