package io.secureworkload.operator.iam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecretsSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The statements that let a workload read exactly the secrets and parameters it mounts, and nothing
 * else: removing an object from the spec removes its permission.
 */
public final class SecretAccess {

  public static final String SECRETS_SID = "SecureWorkloadSecrets";
  public static final String PARAMETERS_SID = "SecureWorkloadParameters";
  public static final String KMS_SID = "SecureWorkloadKmsDecrypt";
  public static final String KMS_ALIAS_SID = "SecureWorkloadKmsDecryptByAlias";

  /** What reading a mounted secret takes; the guardrails hold these to the allowed actions too. */
  public static final List<String> SECRET_ACTIONS =
      List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");

  public static final List<String> PARAMETER_ACTIONS = List.of("ssm:GetParameters");
  public static final List<String> KEY_ACTIONS = List.of("kms:Decrypt");

  private SecretAccess() {}

  /**
   * @param defaultRegion the region of the objects when the spec names none
   * @param listedKey whether the guardrails list a key; any other key is reached only through an
   *     alias that matches {@code keyAliasPattern}
   */
  public static List<ObjectNode> statements(
      SecretsSpec secrets,
      String partition,
      String defaultRegion,
      String accountId,
      Predicate<String> listedKey,
      String keyAliasPattern) {
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
      statements.add(PolicyDocuments.statement(SECRETS_SID, SECRET_ACTIONS, secretArns));
    }
    if (!parameterArns.isEmpty()) {
      statements.add(PolicyDocuments.statement(PARAMETERS_SID, PARAMETER_ACTIONS, parameterArns));
    }
    var keys = Optional.ofNullable(secrets.getKmsKeyArns()).orElse(List.of());
    var listed = keys.stream().filter(listedKey).toList();
    var byAlias = keys.stream().filter(listedKey.negate()).toList();
    var dnsSuffix = "aws-cn".equals(partition) ? "amazonaws.com.cn" : "amazonaws.com";
    if (!listed.isEmpty()) {
      statements.add(decrypt(KMS_SID, listed, region, dnsSuffix));
    }
    if (!byAlias.isEmpty()) {
      var kms = decrypt(KMS_ALIAS_SID, byAlias, region, dnsSuffix);
      ((ObjectNode) kms.get("Condition"))
          .putObject("ForAnyValue:StringLike")
          .put("kms:ResourceAliases", keyAliasPattern);
      statements.add(kms);
    }
    return statements;
  }

  /** Decrypt with the keys, only on behalf of Secrets Manager or SSM in the objects' region. */
  private static ObjectNode decrypt(
      String sid, List<String> keys, String region, String dnsSuffix) {
    var kms = PolicyDocuments.statement(sid, KEY_ACTIONS, keys);
    var viaServices =
        kms.putObject("Condition").putObject("StringEquals").putArray("kms:ViaService");
    viaServices.add("secretsmanager." + region + "." + dnsSuffix);
    viaServices.add("ssm." + region + "." + dnsSuffix);
    return kms;
  }
}
