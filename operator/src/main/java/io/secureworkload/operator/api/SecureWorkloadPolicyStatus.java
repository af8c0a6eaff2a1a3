package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** What the operator found the policy applies to, as of {@link #observedGeneration}. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecureWorkloadPolicyStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("How many namespaces the policy selects.")
  private Integer matchedNamespaces;

  @JsonPropertyDescription("How many SecureWorkloads live in the selected namespaces.")
  private Integer matchedWorkloads;

  @JsonPropertyDescription(
      "How many of those SecureWorkloads break a rule of this policy (in Audit mode too).")
  private Integer workloadsInViolation;

  @JsonPropertyDescription(
      "Ready says whether the policy is in force; a Conflict condition names other policies that"
          + " select the same namespaces with a different permissions boundary.")
  private List<Condition> conditions = new ArrayList<>();
}
