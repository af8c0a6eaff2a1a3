package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** How the pods get the role's credentials; the trust of either mode is written by the operator. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IdentitySpec {

  @JsonPropertyDescription(
      "IRSA (the ServiceAccount is annotated with the role and the role trusts the cluster's OIDC"
          + " provider) or PodIdentity (an EKS Pod Identity association binds the ServiceAccount to"
          + " the role, which trusts pods.eks.amazonaws.com for this namespace, ServiceAccount"
          + " and cluster only). Unset: the mode the governing SecureWorkloadPolicy names as its"
          + " default, else IRSA. Changing it switches without a moment without credentials: the"
          + " old identity stays until no pod that started before the switch runs.")
  private IdentityMode mode;
}
