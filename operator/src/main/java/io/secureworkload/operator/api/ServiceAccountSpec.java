package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import lombok.Data;

/** The ServiceAccount that carries the workload's IAM identity. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceAccountSpec {

  @Pattern(Patterns.DNS_LABEL)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Name of the ServiceAccount. Defaults to the SecureWorkload's name. The operator never takes"
          + " over a ServiceAccount it did not create.")
  private String name;

  @Min(600)
  @Max(86400)
  @JsonPropertyDescription(
      "Lifetime of the projected web identity token, in seconds (annotation"
          + " eks.amazonaws.com/token-expiration). Unset: the EKS default (86400).")
  private Long tokenExpirationSeconds;

  @JsonPropertyDescription(
      "Use the regional STS endpoint (annotation eks.amazonaws.com/sts-regional-endpoints)."
          + " Unset: the cluster's default.")
  private Boolean stsRegionalEndpoints;
}
