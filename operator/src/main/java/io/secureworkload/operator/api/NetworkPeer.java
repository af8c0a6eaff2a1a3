package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
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
    @ValidationRule(
        value = WorkloadSelector.VALID_LABEL_KEYS,
        message = WorkloadSelector.INVALID_LABEL_KEYS)
    @JsonPropertyDescription("Labels to match. Empty: everything.")
    private Map<@Size(max = 317) String, @Pattern(Patterns.LABEL_VALUE) @Size(max = 63) String>
        matchLabels;
  }

  @Data
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "isCIDR(self.cidr)",
      message = "cidr must be a CIDR block",
      fieldPath = ".cidr")
  // The NetworkPolicy API rejects an except entry that is not a strict subset of cidr; say so here,
  // where the user can fix it, instead of failing later when the operator writes the policy.
  @ValidationRule(
      value =
          "!has(self.except) || !isCIDR(self.cidr) || self.except.all(c, !isCIDR(c) ||"
              + " (cidr(self.cidr).containsCIDR(c)"
              + " && cidr(c).prefixLength() > cidr(self.cidr).prefixLength()))",
      message = "each except entry must be a CIDR block strictly inside cidr",
      fieldPath = ".except")
  public static class IpBlock {
    @Required
    @Size(max = 64)
    @JsonPropertyDescription(
        "CIDR block, for example 10.0.0.0/16: four decimal octets without leading zeros, or IPv6"
            + " text, then a prefix length. Written to the NetworkPolicy with its host bits"
            + " cleared.")
    private String cidr;

    @Size(max = 16)
    @ValidationRule(value = "self.all(c, isCIDR(c))", message = "each entry must be a CIDR block")
    @JsonPropertyDescription("CIDR blocks inside cidr that are not allowed.")
    private List<@Size(max = 64) String> except;
  }
}
