package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** What the operator observed and did, as of {@link #observedGeneration}. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecureWorkloadStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("ARN of the workload's IAM role.")
  private String roleArn;

  @JsonPropertyDescription(
      "The role in the account the workload left when its namespace moved to another account,"
          + " kept until no pod that started before the ServiceAccount switch runs, or the grace"
          + " period (SW_ROLE_SWITCH_GRACE_PERIOD) passed; then deleted.")
  private PreviousRole previousRole;

  @JsonPropertyDescription(
      "The identity mode in effect, the Pod Identity association, and a switch under way.")
  private IdentityStatus identity;

  @JsonPropertyDescription("Name of the workload's IAM role.")
  private String roleName;

  @JsonPropertyDescription("Name of the workload's ServiceAccount.")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Ready summarises the parts: IAMRoleReady, ServiceAccountReady, SecretsReady,"
          + " SecurityGroupsReady, NetworkPoliciesReady.")
  private List<Condition> conditions = new ArrayList<>();
}
