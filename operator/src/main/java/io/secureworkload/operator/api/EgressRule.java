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
  @JsonPropertyDescription("Destinations allowed. Empty: any destination.")
  private List<NetworkPeer> to;

  @Size(max = 16)
  @JsonPropertyDescription("Ports allowed. Empty: every port.")
  private List<NetworkPort> ports;
}
