package io.secureworkload.operator.thirdparty;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** spec of a SecretProviderClass: every parameter value is a string, as the CSI driver wants. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretProviderClassSpec {

  private String provider;
  private Map<String, String> parameters;
  private List<SecretObject> secretObjects;

  /** A Kubernetes Secret the driver keeps in sync with mounted objects. */
  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretObject {
    private String secretName;
    private String type;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private List<SecretObjectData> data;
  }

  /** One key of a synced Secret and the mounted object it comes from. */
  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretObjectData {
    private String objectName;
    private String key;
  }
}
