package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/** Traffic allowed out of the workload's pods. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressRule {

  @Size(max = 16)
  @JsonPropertyDescription(
      "Destinations allowed. Empty or unset: every address, written as 0.0.0.0/0 and ::/0 minus the"
          + " instance metadata and Pod Identity agent addresses, plus every pod of every"
          + " namespace; a policy that restricts CIDR blocks refuses it.")
  private List<NetworkPeer> to;

  @Size(max = 16)
  @JsonPropertyDescription("Ports allowed. Empty: every port.")
  private List<NetworkPort> ports;
}
