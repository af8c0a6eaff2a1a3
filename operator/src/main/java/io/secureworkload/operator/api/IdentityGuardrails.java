package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** Which identity modes tenants may use, and the one they get when they name none. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.defaultMode) || !has(self.allowedModes) || self.defaultMode in self.allowedModes",
    message = "defaultMode must be one of allowedModes")
public class IdentityGuardrails {

  @Size(min = 1)
  @JsonPropertyDescription(
      "The identity modes workloads may use. Unset: both. A platform that requires EKS Pod"
          + " Identity lists only PodIdentity; a workload asking for another mode is refused at"
          + " spec.identity.mode, and one that names none gets the allowed mode.")
  private List<IdentityMode> allowedModes;

  @JsonPropertyDescription(
      "The mode of a workload whose spec.identity.mode is unset. Unset: IRSA when allowed, else"
          + " PodIdentity.")
  private IdentityMode defaultMode;
}
