package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Labels that select a workload's pods. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadSelector {

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value =
          "self.all(k, k.matches('"
              + Patterns.LABEL_KEY
              + "') && self[k].matches('"
              + Patterns.LABEL_VALUE
              + "'))",
      message = "label keys and values must be valid Kubernetes labels")
  @JsonPropertyDescription(
      "Labels the workload's pods carry. At least one label is required, so that an empty selector"
          + " can never pick every pod of the namespace.")
  private Map<@Size(max = 317) String, @Size(max = 63) String> matchLabels;
}
