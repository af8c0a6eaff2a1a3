package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** A port, or a range of ports, of a network rule. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endPort) || self.endPort >= self.port",
    message = "endPort must not be below port",
    fieldPath = ".endPort")
public class NetworkPort {

  @Default("TCP")
  @JsonPropertyDescription("TCP, UDP or SCTP.")
  private Protocol protocol;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port number (1-65535).")
  private Integer port;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Last port of a range starting at port.")
  private Integer endPort;

  public enum Protocol {
    TCP,
    UDP,
    SCTP
  }
}
