package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;
import lombok.Data;

/** A Kubernetes Secret the CSI driver fills from mounted objects. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SyncedSecret {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret.")
  private String secretName;

  @Default("Opaque")
  @Size(max = 128)
  @JsonPropertyDescription("Type of the Secret, for example Opaque or kubernetes.io/tls.")
  private String type;

  @Size(max = 16)
  @JsonPropertyDescription("Labels of the Secret.")
  private Map<@Size(max = 317) String, @Size(max = 63) String> labels;

  @Size(max = 16)
  @JsonPropertyDescription("Annotations of the Secret.")
  private Map<@Size(max = 317) String, @Size(max = 4096) String> annotations;

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Keys of the Secret and the mounted object each is filled from.")
  private List<SyncedSecretKey> data;
}
