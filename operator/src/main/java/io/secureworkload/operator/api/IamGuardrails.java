package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/**
 * What a governed workload's IAM role may contain. A field left out keeps the built-in default
 * named in its description; none of them can lift the built-in escalation floor except {@link
 * #allowEscalationActions}.
 */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IamGuardrails {

  @Size(max = 256)
  @JsonPropertyDescription(
      "Action patterns no Allow statement may touch, in addition to the built-in escalation floor"
          + " (iam:*, sts:*, organizations:*, account:* and the escalation and credential actions"
          + " listed in docs/guardrails.md). Matching is case-insensitive; a statement action is"
          + " refused when any action it could match is denied, so s3:* is refused by a denied"
          + " s3:DeleteBucket.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String> deniedActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "When set, every action of an Allow statement must lie within one of these patterns"
          + " (s3:Get* admits s3:GetObject, not s3:*). Unset: any action that is not denied.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String> allowedActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Actions that may be granted on Resource \"*\", in addition to the built-in read-only"
          + " *:List* and *:Describe*. Every other action needs a concrete ARN.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String>
      wildcardResourceActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "When set, every resource ARN of an Allow statement must lie within one of these patterns."
          + " Placeholders: ${namespace}, ${account}, ${region}, ${partition}. Example:"
          + " arn:${partition}:s3:::${namespace}-*. Unset: any ARN in an allowed account.")
  private List<@Pattern(GuardrailPatterns.ARN_PATTERN) @Size(max = 2048) String> allowedResources;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Accounts that resource, secret and KMS key ARNs may name; an ARN with a wildcard account is"
          + " always refused. Default: [\"${account}\"], the operator's own account. ARNs without"
          + " an account (S3) are not refused; see docs/guardrails.md for aws:ResourceAccount.")
  private List<@Pattern(GuardrailPatterns.ACCOUNT) String> allowedAccounts;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Managed policy ARN patterns the role may attach. Default: none, AWS managed policies"
          + " included.")
  private List<@Pattern(GuardrailPatterns.ARN_PATTERN) @Size(max = 2048) String>
      allowedManagedPolicyArns;

  @Pattern(GuardrailPatterns.BOUNDARY_ARN)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "Permissions boundary of every governed role. Two policies that select one namespace and name"
          + " different boundaries are a conflict: the workloads there are refused until it is"
          + " resolved. Unset: the operator's own setting.")
  private String permissionsBoundaryArn;

  @Min(3600)
  @Max(43200)
  @JsonPropertyDescription(
      "Highest maxSessionDurationSeconds a workload may ask for. Default 3600.")
  private Integer maxSessionDurationSeconds;

  @JsonPropertyDescription(
      "Whether a workload may set deletionPolicy: Retain and so keep its role after it is deleted."
          + " Default false.")
  private Boolean allowRetain;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Audited opt-out of the built-in escalation floor: each entry names one action in full (no"
          + " wildcards), for example ecr:GetAuthorizationToken, which Allow statements may then"
          + " name in full too. With several policies, an action is opted out only if every one of"
          + " them names it. deniedActions and allowedActions still apply.")
  private List<@Pattern(GuardrailPatterns.ACTION_NAME) @Size(max = 128) String>
      allowEscalationActions;
}
