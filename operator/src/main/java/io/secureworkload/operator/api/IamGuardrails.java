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
      "Action patterns no Allow statement may grant, in addition to the built-in escalation floor"
          + " (iam:*, sts:*, organizations:*, account:*, every Permissions management action and"
          + " the groups listed in docs/guardrails.md). Statement actions are expanded against"
          + " AWS's action catalogue (case-insensitive) and refused when any action they grant is"
          + " denied, so s3:* is refused by a denied s3:DeleteBucket.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String> deniedActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Every action an Allow statement grants, its pattern expanded against AWS's action"
          + " catalogue, must match one of these patterns (s3:Get* admits s3:GetObject, not"
          + " s3:*). Unset: the built-in data-plane allow-list of docs/guardrails.md, never"
          + " anything; widening is explicit (s3:*) and still expanded and floored.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String> allowedActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Actions that may be granted on Resource \"*\" although AWS's catalogue gives them"
          + " resource-level permissions. Actions without resource-level permissions may always"
          + " use it; every other action needs ARNs of its resource types.")
  private List<@Pattern(GuardrailPatterns.ACTION_PATTERN) @Size(max = 128) String>
      wildcardResourceActions;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Every resource ARN of an Allow statement (secrets, parameters and KMS keys excepted: see"
          + " spec.secrets) must lie within one of these patterns. Placeholders: ${namespace},"
          + " ${account}, ${region}, ${partition}. ${namespace} must start a name or follow ':' or"
          + " '/', and be followed by a character no namespace name holds, as in"
          + " arn:${partition}:s3:::${namespace}.*; an unsafe pattern matches nothing and the"
          + " policy's status names it. arn:${partition}:s3:::BUCKET/${namespace}/* also lets the"
          + " namespace list BUCKET under its prefix. Unset: the built-in namespace-scoped"
          + " patterns of docs/guardrails.md.")
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
          + " grant. With several policies, an action is opted out only if every one of them names"
          + " it. deniedActions and allowedActions still apply.")
  private List<@Pattern(GuardrailPatterns.ACTION_NAME) @Size(max = 128) String>
      allowEscalationActions;
}
