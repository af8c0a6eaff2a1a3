package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The identity the workload's pods get, and a switch between modes while it is under way. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IdentityStatus {

  @JsonPropertyDescription("The identity mode pods created now get.")
  private IdentityMode mode;

  @JsonPropertyDescription(
      "The modes the role's trust admits: both while a switch is under way, else the mode.")
  private List<IdentityMode> trusted;

  @JsonPropertyDescription("Id of the EKS Pod Identity association, in PodIdentity mode.")
  private String associationId;

  @JsonPropertyDescription(
      "The mode switched away from, kept (its trust statement, and its annotation or"
          + " association) until no pod that started before the switch runs, or the grace period"
          + " (SW_ROLE_SWITCH_GRACE_PERIOD) passed.")
  private IdentityMode previousMode;

  @JsonPropertyDescription("When pods started getting the new mode (RFC 3339).")
  private String switchedAt;
}
