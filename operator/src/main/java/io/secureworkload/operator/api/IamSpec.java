package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** The permissions of the workload's IAM role. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IamSpec {

  public static final int DEFAULT_MAX_SESSION_DURATION_SECONDS = 3600;

  @Size(max = 32)
  @ValidationRule(
      value = "self.all(s, !has(s.sid) || self.exists_one(t, has(t.sid) && t.sid == s.sid))",
      message = "sids must be unique")
  @JsonPropertyDescription(
      "Statements of the role's inline policy. Least privilege: name the actions and resources the"
          + " workload needs, nothing more.")
  private List<PolicyStatement> statements;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, a == b))",
      message = "entries must be unique")
  @JsonPropertyDescription("ARNs of managed policies attached to the role.")
  private List<@Pattern(Patterns.MANAGED_POLICY_ARN) @Size(max = 2048) String> managedPolicyArns;

  @Min(3600)
  @Max(43200)
  @Default("3600")
  @JsonPropertyDescription("Maximum session duration of the role, in seconds (3600 to 43200).")
  private Integer maxSessionDurationSeconds;

  @Default("Delete")
  @JsonPropertyDescription(
      "What happens to the IAM role when the SecureWorkload is deleted: Delete removes it, Retain"
          + " keeps it (with its policies) with its trust cut, so that no ServiceAccount can"
          + " assume it, until a later SecureWorkload of the same name in the same namespace (the"
          + " same namespace uid) adopts it again.")
  private DeletionPolicy deletionPolicy;

  public enum DeletionPolicy {
    Delete,
    Retain
  }
}
