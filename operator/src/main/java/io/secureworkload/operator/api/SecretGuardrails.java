package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;

/** Which secrets and parameters governed workloads may mount. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretGuardrails {

  @Size(max = 64)
  @JsonPropertyDescription(
      "Name patterns of the Secrets Manager secrets and SSM parameters a workload may mount or"
          + " name in its IAM statements. Parameter names are compared without their leading"
          + " slash; a name given as an ARN is compared by the name inside it, and only then may"
          + " it carry Secrets Manager's random suffix. Default: [\"${namespace}/*\"].")
  private List<@Pattern(GuardrailPatterns.SECRET_NAME_PATTERN) @Size(max = 512) String>
      allowedNames;

  @Size(max = 64)
  @JsonPropertyDescription(
      "KMS key ARN patterns a workload may use as they are. Any other key of an allowed account"
          + " is reached only through an alias under alias/<namespace>/ (an operator-added"
          + " kms:ResourceAliases condition), and every key only through an AWS service"
          + " (kms:ViaService). Unset: none listed.")
  private List<@Pattern(GuardrailPatterns.ARN_PATTERN) @Size(max = 2048) String> allowedKmsKeys;

  @JsonPropertyDescription(
      "Whether mounted objects may be copied into Kubernetes Secrets (syncToSecrets), where anyone"
          + " who may read Secrets in the namespace sees them. Default true.")
  private Boolean allowSyncToSecrets;
}
