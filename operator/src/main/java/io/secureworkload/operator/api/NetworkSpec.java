package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/** Network policies for the workload's pods. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkSpec {

  @JsonPropertyDescription(
      "Which directions are denied unless a rule allows them. Both by default.")
  private DefaultDeny defaultDeny;

  @Default("true")
  @JsonPropertyDescription(
      "Allow DNS (UDP and TCP 53) to the cluster DNS pods. Needed by almost every workload whose"
          + " egress is denied.")
  private Boolean allowDns;

  @Default("true")
  @JsonPropertyDescription(
      "Allow HTTPS egress to the AWS API endpoints the platform configured (VPC endpoint CIDRs),"
          + " so that the pods can use their IAM role and read their secrets.")
  private Boolean allowAwsApis;

  @Size(max = 32)
  @JsonPropertyDescription("Allowed incoming traffic.")
  private List<IngressRule> ingress;

  @Size(max = 32)
  @JsonPropertyDescription("Allowed outgoing traffic.")
  private List<EgressRule> egress;

  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DefaultDeny {

    @Default("true")
    @JsonPropertyDescription("Deny incoming traffic that no rule allows.")
    private Boolean ingress;

    @Default("true")
    @JsonPropertyDescription("Deny outgoing traffic that no rule allows.")
    private Boolean egress;
  }
}
