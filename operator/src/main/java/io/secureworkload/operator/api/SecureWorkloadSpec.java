package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import lombok.Data;

/** What one app team asks for: its pods, and the security envelope they get. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecureWorkloadSpec {

  @Required
  @JsonPropertyDescription(
      "The workload's pods. Security group and network policies select exactly these pods, never"
          + " the whole namespace.")
  private WorkloadSelector selector;

  @JsonPropertyDescription(
      "The ServiceAccount the workload's pods run as. It is created by the operator and annotated"
          + " with the IAM role; it defaults to one named after this SecureWorkload.")
  private ServiceAccountSpec serviceAccount;

  @JsonPropertyDescription("How the pods get the role's credentials: IRSA or EKS Pod Identity.")
  private IdentitySpec identity;

  @JsonPropertyDescription(
      "AWS permissions of the workload's IAM role. The role is always created, and only the"
          + " workload's ServiceAccount may assume it.")
  private IamSpec iam;

  @JsonPropertyDescription(
      "Secrets Manager secrets and SSM parameters mounted through the Secrets Store CSI driver."
          + " The IAM role is granted read access to exactly these objects.")
  private SecretsSpec secrets;

  @JsonPropertyDescription(
      "EC2 security groups attached to the workload's pods (security groups for pods).")
  private SecurityGroupsSpec securityGroups;

  @JsonPropertyDescription(
      "Network policies for the workload's pods: a default deny plus the traffic declared here.")
  private NetworkSpec network;
}
