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

  /**
   * The condition keys the operator writes into Allow statements itself (guardrail/WrittenPolicy,
   * iam/SecretAccess). IAM reads condition keys without regard to case, so a tenant's key in
   * another spelling, or under another operator, would stand beside the operator's own. The
   * guardrails refuse them; the schema cannot, since it cannot bound the length of a map's keys and
   * a CEL rule over them is beyond the API server's cost budget.
   */
  public static final List<String> OPERATOR_CONDITION_KEYS =
      List.of("aws:ResourceAccount", "kms:ViaService", "kms:ResourceAliases", "s3:prefix");

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
      "IAM condition block: operator (for example StringEquals) to condition key to values. The"
          + " keys the operator sets itself (aws:ResourceAccount, kms:ViaService,"
          + " kms:ResourceAliases, s3:prefix) are not allowed in Allow statements.")
  private Map<@Size(max = 64) String, Map<@Size(max = 256) String, List<@Size(max = 1024) String>>>
      conditions;

  public enum Effect {
    Allow,
    Deny
  }
}
