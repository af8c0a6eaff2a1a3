package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One key of a JSON secret, mounted as a file of its own. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JmesPathEntry {

  @Required
  @Size(min = 1, max = 256)
  @Pattern(Patterns.JMES_PATH)
  @JsonPropertyDescription(
      "JMESPath expression selecting the key, for example username or db.\"user-name\":"
          + " identifiers, plain or double-quoted, joined by dots.")
  private String path;

  @Required
  @Size(min = 1, max = 128)
  @Pattern(Patterns.FILE_NAME)
  @JsonPropertyDescription("File name of the selected value in the mount.")
  private String alias;
}
