package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The AWS account a policy's namespaces keep their roles in, and how the operator reaches it: the
 * role it assumes there, with an external id kept in a Secret of the operator's namespace.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.roleArn.split(':')[4] == self.id",
    message = "roleArn must be a role of the account named by id")
public class AccountMapping {

  @Required
  @Pattern(Patterns.ACCOUNT_ID)
  @JsonPropertyDescription("The 12-digit id of the AWS account the roles are made in.")
  private String id;

  @Required
  @Pattern(Patterns.ASSUMABLE_ROLE_ARN)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "The role the operator assumes in that account (sts:AssumeRole) to manage its roles there;"
          + " docs/multi-account.md gives its policy and trust.")
  private String roleArn;

  @JsonPropertyDescription(
      "A Secret in the operator's namespace holding the external id the target role's trust"
          + " requires (sts:ExternalId); tenants cannot read it. Unset: no external id is sent.")
  private SecretKeyRef externalIdSecretRef;

  /** A key of a Secret in the operator's own namespace. */
  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretKeyRef {

    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("The Secret's name.")
    private String name;

    @Pattern(Patterns.SECRET_DATA_KEY)
    @Size(max = 253)
    @JsonPropertyDescription("The key holding the external id. Default: externalId.")
    private String key;

    public String keyOrDefault() {
      return key == null ? "externalId" : key;
    }
  }
}
