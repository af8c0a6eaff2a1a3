package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** One Secrets Manager secret or SSM parameter. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!self.name.startsWith('arn:') || has(self.alias)",
    message = "alias is required when name is a full ARN",
    fieldPath = ".alias")
@ValidationRule(
    value = "!has(self.version) || self.type == 'secretsmanager'",
    message = "version applies to secretsmanager objects only",
    fieldPath = ".version")
public class SecretObject {

  @Required
  @Size(min = 1, max = 512)
  @Pattern("^[A-Za-z0-9/_+=.@:-]+$")
  @JsonPropertyDescription(
      "Secret name, parameter name, or full ARN. The role may read exactly this object.")
  private String name;

  @Required
  @JsonPropertyDescription("secretsmanager or ssmparameter.")
  private ObjectType type;

  @Size(max = 128)
  @Pattern(Patterns.FILE_NAME)
  @JsonPropertyDescription(
      "File name in the mount. Defaults to the name, with every / turned into _ (as the AWS"
          + " provider does).")
  private String alias;

  @Size(max = 64)
  @JsonPropertyDescription("Version id (Secrets Manager) or version number (SSM). Unset: current.")
  private String version;

  @Size(max = 256)
  @JsonPropertyDescription("Secrets Manager version label, for example AWSCURRENT.")
  private String versionLabel;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Keys of a JSON object to mount as files of their own, each under its alias.")
  private List<JmesPathEntry> jmesPath;

  /** The file the object is mounted as: its alias, else its name with / turned into _. */
  @JsonIgnore
  public String fileName() {
    return alias != null ? alias : name.replace('/', '_');
  }

  /** Names as the Secrets Store CSI driver's AWS provider spells them. */
  public enum ObjectType {
    secretsmanager,
    ssmparameter
  }
}
