package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

/** Secrets Manager and SSM objects the workload mounts through the Secrets Store CSI driver. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.syncToSecrets) || self.syncToSecrets.all(s, s.data.all(d,"
            + " self.objects.exists(o, (has(o.alias) ? o.alias : o.name.replace('/', '_')) == d.objectAlias"
            + " || (has(o.jmesPath) && o.jmesPath.exists(j, j.alias == d.objectAlias)))))",
    message =
        "syncToSecrets[].data[].objectAlias must name an object of objects[] (its alias, its name with / turned into _"
            + " when it has no alias, or one of its jmesPath aliases)",
    fieldPath = ".syncToSecrets")
public class SecretsSpec {

  @Pattern(Patterns.AWS_REGION)
  @JsonPropertyDescription("AWS region of the secrets. Unset: the region of the node.")
  private String region;

  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value =
          "self.all(x, self.exists_one(y, (has(y.alias) ? y.alias : y.name.replace('/', '_')) == (has(x.alias) ?"
              + " x.alias : x.name.replace('/', '_'))))",
      message =
          "each object's file name (its alias, else its name with / turned into _) must be unique")
  @JsonPropertyDescription("The secrets and parameters to mount.")
  private List<SecretObject> objects;

  @Size(max = 8)
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, y.secretName == x.secretName))",
      message = "secretName must be unique")
  @JsonPropertyDescription(
      "Kubernetes Secrets the CSI driver keeps in sync with mounted objects (needs the driver's"
          + " secret sync feature).")
  private List<SyncedSecret> syncToSecrets;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Customer-managed KMS keys that encrypt the objects; the role may decrypt with exactly these.")
  private List<@Pattern(Patterns.KMS_KEY_ARN) @Size(max = 2048) String> kmsKeyArns;
}
