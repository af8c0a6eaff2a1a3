package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import lombok.Data;

/** A peer of a network rule: pods (in this or other namespaces), or a CIDR block. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.ipBlock) != (has(self.podSelector) || has(self.namespaceSelector))",
    message = "set either ipBlock, or podSelector and/or namespaceSelector")
public class NetworkPeer {

  @JsonPropertyDescription(
      "Pods with these labels; in this namespace unless namespaceSelector is set too.")
  private PeerSelector podSelector;

  @JsonPropertyDescription("Namespaces with these labels. An empty selector means every namespace.")
  private PeerSelector namespaceSelector;

  @JsonPropertyDescription("A CIDR block, minus exceptions.")
  private IpBlock ipBlock;

  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PeerSelector {
    @Size(max = 16)
    @JsonPropertyDescription("Labels to match. Empty: everything.")
    private Map<@Size(max = 317) String, @Size(max = 63) String> matchLabels;
  }

  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "isCIDR(self.cidr)",
      message = "cidr must be a CIDR block",
      fieldPath = ".cidr")
  public static class IpBlock {
    @Required
    @Size(max = 64)
    @JsonPropertyDescription("CIDR block, for example 10.0.0.0/16.")
    private String cidr;

    @Size(max = 16)
    @ValidationRule(value = "self.all(c, isCIDR(c))", message = "each entry must be a CIDR block")
    @JsonPropertyDescription("CIDR blocks inside cidr that are not allowed.")
    private List<@Size(max = 64) String> except;
  }
}
