package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The role a workload left behind in the account its namespace moved away from. Pods that started
 * before the ServiceAccount was switched still hold its ARN, so it stays until none of them runs.
 */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreviousRole {

  @JsonPropertyDescription("ARN of the role in the account the workload left.")
  private String arn;

  @JsonPropertyDescription(
      "When the ServiceAccount was switched to the new role (RFC 3339); unset until it is. Pods"
          + " created before then keep the old role until they restart.")
  private String switchedAt;
}
