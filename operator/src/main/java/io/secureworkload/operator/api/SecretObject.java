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
// The name stands in for the alias, with / turned into _: never a file name that means a directory.
@ValidationRule(
    value = "has(self.alias) || (self.name != '.' && self.name != '..')",
    message = "alias is required when name is . or ..",
    fieldPath = ".alias")
@ValidationRule(
    value = "!has(self.version) || self.type == 'secretsmanager'",
    message = "version applies to secretsmanager objects only",
    fieldPath = ".version")
public class SecretObject {

  @Required
  @Size(min = 1, max = 512)
  @Pattern(Patterns.SECRET_OBJECT_NAME)
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
  @Pattern(Patterns.OBJECT_VERSION)
  @JsonPropertyDescription("Version id (Secrets Manager) or version number (SSM). Unset: current.")
  private String version;

  @Size(max = 256)
  @Pattern(Patterns.OBJECT_VERSION_LABEL)
  @JsonPropertyDescription(
      "Secrets Manager staging label (for example AWSCURRENT) or SSM parameter label: letters,"
          + " digits, '.', '_' and '-'.")
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
