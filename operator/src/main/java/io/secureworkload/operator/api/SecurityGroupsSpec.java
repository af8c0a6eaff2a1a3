package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** Security groups for the workload's pods, applied by the VPC resource controller. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecurityGroupsSpec {

  @Required
  @Size(min = 1, max = 5)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, a == b))",
      message = "entries must be unique")
  @JsonPropertyDescription("Security group ids, for example sg-0123456789abcdef0.")
  private List<@Pattern(Patterns.SECURITY_GROUP_ID) @Size(max = 20) String> groupIds;
}
