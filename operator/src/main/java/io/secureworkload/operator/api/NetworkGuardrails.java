package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** Which CIDR blocks the ipBlock peers of governed workloads' network rules may name. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkGuardrails {

  @Size(max = 64)
  @ValidationRule(value = "self.all(c, isCIDR(c))", message = "each entry must be a CIDR block")
  @JsonPropertyDescription(
      "When set, every ipBlock (minus its except blocks) must lie within these CIDR blocks, IPv4"
          + " or IPv6. Unset: any block that is not denied.")
  private List<@Size(max = 64) String> allowedCidrs;

  @Size(max = 64)
  @ValidationRule(value = "self.all(c, isCIDR(c))", message = "each entry must be a CIDR block")
  @JsonPropertyDescription(
      "CIDR blocks no ipBlock may reach, in addition to the built-in instance metadata and EKS Pod"
          + " Identity agent addresses (169.254.169.254/32, fd00:ec2::254/128, 169.254.170.23/32,"
          + " fd00:ec2::23/128), which are always refused. An ipBlock whose except blocks cut a"
          + " denied block out entirely (0.0.0.0/0 except 169.254.0.0/16) is fine.")
  private List<@Size(max = 64) String> deniedCidrs;
}
