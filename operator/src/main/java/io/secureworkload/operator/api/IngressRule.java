package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/** Traffic allowed into the workload's pods. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressRule {

  @Size(max = 16)
  @JsonPropertyDescription("Sources allowed. Empty: any source.")
  private List<NetworkPeer> from;

  @Size(max = 16)
  @JsonPropertyDescription("Ports allowed. Empty: every port.")
  private List<NetworkPort> ports;
}
