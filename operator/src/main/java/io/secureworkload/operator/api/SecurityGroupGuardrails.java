package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/** Which security groups governed workloads may attach to their pods. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecurityGroupGuardrails {

  @Size(max = 256)
  @JsonPropertyDescription(
      "Security group id patterns, for example sg-0123456789abcdef0. Default: none, since a"
          + " security group opens whatever its rules open to every pod that carries it.")
  private List<@Pattern(GuardrailPatterns.SECURITY_GROUP_PATTERN) @Size(max = 20) String>
      allowedGroupIds;

  @Pattern(Patterns.SECURITY_GROUP_ID)
  @JsonPropertyDescription(
      "The group pods get when a tightening of allowedGroupIds takes away every group of an"
          + " existing workload, for example sg-0123456789abcdef0. Unset: the refused groups stay"
          + " and are reported, since pods without a group of their own fall back to the node's.")
  private String fallbackGroupId;
}
