package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One statement of the role's inline IAM policy. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyStatement {

  @Pattern("^[A-Za-z0-9]+$")
  @Size(max = 64)
  @JsonPropertyDescription("Statement id: letters and digits only.")
  private String sid;

  @Default("Allow")
  @JsonPropertyDescription("Allow or Deny.")
  private Effect effect;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Actions, for example s3:GetObject. Wildcards only in the action part.")
  private List<@Pattern(Patterns.IAM_ACTION) @Size(max = 128) String> actions;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Resource ARNs the actions apply to.")
  private List<@Pattern(Patterns.IAM_RESOURCE) @Size(max = 2048) String> resources;

  @Size(max = 16)
  @JsonPropertyDescription(
      "IAM condition block: operator (for example StringEquals) to condition key to values.")
  private Map<@Size(max = 64) String, Map<@Size(max = 256) String, List<@Size(max = 1024) String>>>
      conditions;

  public enum Effect {
    Allow,
    Deny
  }
}
