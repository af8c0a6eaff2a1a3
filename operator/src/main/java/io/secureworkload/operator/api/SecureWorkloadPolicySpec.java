package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import lombok.Data;

/** Which namespaces a policy governs, and what their SecureWorkloads may get. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.namespaceSelector) || has(self.namespaces)",
    message = "set namespaceSelector, namespaces, or both: a policy must say what it governs")
public class SecureWorkloadPolicySpec {

  @JsonPropertyDescription(
      "Namespaces whose labels match. An empty selector ({}) selects every namespace. Namespace"
          + " labels are a trust boundary here: tenants must not be able to label their own"
          + " namespaces, or they choose their own policy. Combined with namespaces by OR. Not"
          + " used on the default policy (labelled secureworkload.io/default-policy=true), which"
          + " governs the namespaces no enforced policy selects: give it {}.")
  private LabelSelector namespaceSelector;

  @Size(max = 256)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, a == b))",
      message = "entries must be unique")
  @JsonPropertyDescription(
      "Namespaces selected by name, whoever may label them. Combined with namespaceSelector by"
          + " OR. Not used on the default policy (labelled secureworkload.io/default-policy=true).")
  private List<@Pattern(Patterns.DNS_LABEL) @Size(max = 63) String> namespaces;

  @Default("Enforce")
  @JsonPropertyDescription(
      "Enforce refuses a SecureWorkload that breaks a rule (and narrows one that already exists);"
          + " Audit only reports it, so a stricter policy can be tried before it is enforced. The"
          + " built-in escalation floor and IAM's own limits are enforced in either mode.")
  private Mode mode;

  @JsonPropertyDescription(
      "The AWS account the selected namespaces' roles live in, and the role the operator assumes"
          + " there. Unset: the operator's own account. Enforce policies that select one namespace"
          + " and name different accounts are a conflict: no new role is made until they agree."
          + " Audit policies never move roles.")
  private AccountMapping account;

  @JsonPropertyDescription(
      "Which identity modes (IRSA, PodIdentity) workloads may use, and the default. Several"
          + " policies together allow only the modes each allows.")
  private IdentityGuardrails identity;

  @JsonPropertyDescription("Rules for the IAM role: actions, resources, accounts, boundary.")
  private IamGuardrails iam;

  @JsonPropertyDescription("Rules for mounted secrets and parameters.")
  private SecretGuardrails secrets;

  @JsonPropertyDescription("Rules for security groups attached to pods.")
  private SecurityGroupGuardrails securityGroups;

  @JsonPropertyDescription("Rules for the ipBlock peers of network rules.")
  private NetworkGuardrails network;

  @JsonPropertyDescription("Quotas per namespace.")
  private WorkloadLimits limits;

  public enum Mode {
    Enforce,
    Audit
  }
}
