package io.secureworkload.operator.thirdparty;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** spec of a SecurityGroupPolicy. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecurityGroupPolicySpec {

  private LabelSelector podSelector;
  private LabelSelector serviceAccountSelector;
  private SecurityGroups securityGroups;

  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecurityGroups {
    private List<String> groupIds;
  }
}
