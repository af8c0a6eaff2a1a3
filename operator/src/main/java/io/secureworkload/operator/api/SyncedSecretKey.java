package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.Data;

/** One key of a synced Secret. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SyncedSecretKey {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[-._A-Za-z0-9]+$")
  @JsonPropertyDescription("Key in the Secret.")
  private String key;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "The mounted object the key is filled from: an object's alias (its name when it has none) or"
          + " a jmesPath alias.")
  private String objectAlias;
}
