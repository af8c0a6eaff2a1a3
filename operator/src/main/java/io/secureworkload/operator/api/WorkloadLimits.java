package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.Data;

/** Quotas of a governed namespace. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadLimits {

  public static final int DEFAULT_MAX_WORKLOADS_PER_NAMESPACE = 50;

  @Min(0)
  @Max(5000)
  @JsonPropertyDescription(
      "How many SecureWorkloads (each an IAM role, from the account's shared role quota) a"
          + " namespace may have. The oldest ones keep working; the newer ones are refused. Default"
          + " 50.")
  private Integer maxWorkloadsPerNamespace;
}
