package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
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

  /**
   * CEL rule for a label map: every key is a label key. The schema cannot constrain map keys, so
   * this is CEL; values have their own pattern, which names the exact entry when it fails. (A
   * messageExpression naming the bad key is over the API server's cost budget: keys have no
   * maxLength.)
   */
  static final String VALID_LABEL_KEYS = "self.all(k, k.matches('" + Patterns.LABEL_KEY + "'))";

  static final String INVALID_LABEL_KEYS =
      "label keys must be valid Kubernetes label keys: an optional DNS subdomain and '/', then a"
          + " name of at most 63 characters";

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(value = VALID_LABEL_KEYS, message = INVALID_LABEL_KEYS)
  @JsonPropertyDescription(
      "Labels the workload's pods carry. At least one label is required, so that an empty selector"
          + " can never pick every pod of the namespace.")
  private Map<@Size(max = 317) String, @Pattern(Patterns.LABEL_VALUE) @Size(max = 63) String>
      matchLabels;
}
