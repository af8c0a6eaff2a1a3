package io.secureworkload.operator.iam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecretsSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements that let a workload read exactly the secrets and parameters it mounts, and nothing
 * else: removing an object from the spec removes its permission.
 */
public final class SecretAccess {

  public static final String SECRETS_SID = "SecureWorkloadSecrets";
  public static final String PARAMETERS_SID = "SecureWorkloadParameters";
  public static final String KMS_SID = "SecureWorkloadKmsDecrypt";

  private SecretAccess() {}

  /**
   * @param defaultRegion the region of the objects when the spec names none
   */
  public static List<ObjectNode> statements(
      SecretsSpec secrets, String partition, String defaultRegion, String accountId) {
    if (secrets == null || secrets.getObjects() == null || secrets.getObjects().isEmpty()) {
      return List.of();
    }
    var region = Optional.ofNullable(secrets.getRegion()).orElse(defaultRegion);
    var secretArns = new ArrayList<String>();
    var parameterArns = new ArrayList<String>();
    for (var object : secrets.getObjects()) {
      if (object.getType() == SecretObject.ObjectType.ssmparameter) {
        parameterArns.add(Arns.parameter(object.getName(), partition, region, accountId));
      } else {
        secretArns.add(Arns.secret(object.getName(), partition, region, accountId));
      }
    }
    var statements = new ArrayList<ObjectNode>();
    if (!secretArns.isEmpty()) {
      statements.add(
          PolicyDocuments.statement(
              SECRETS_SID,
              List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
              secretArns));
    }
    if (!parameterArns.isEmpty()) {
      statements.add(
          PolicyDocuments.statement(PARAMETERS_SID, List.of("ssm:GetParameters"), parameterArns));
    }
    if (secrets.getKmsKeyArns() != null && !secrets.getKmsKeyArns().isEmpty()) {
      var kms = PolicyDocuments.statement(KMS_SID, List.of("kms:Decrypt"), secrets.getKmsKeyArns());
      var viaServices =
          kms.putObject("Condition").putObject("StringEquals").putArray("kms:ViaService");
      var dnsSuffix = "aws-cn".equals(partition) ? "amazonaws.com.cn" : "amazonaws.com";
      viaServices.add("secretsmanager." + region + "." + dnsSuffix);
      viaServices.add("ssm." + region + "." + dnsSuffix);
      statements.add(kms);
    }
    return statements;
  }
}
