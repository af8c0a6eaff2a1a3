package io.secureworkload.operator.dependent;

import com.fasterxml.jackson.databind.node.TextNode;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecretsSpec;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SyncedSecret;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecretProviderClassSpec;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The SecretProviderClass (provider aws) that mounts the workload's Secrets Manager secrets and SSM
 * parameters through the Secrets Store CSI driver.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class SecretProviderClassDependentResource
    extends WorkloadChildDependent<SecretProviderClass> implements CrdBacked {

  public static final String NAME = "secret-provider-class";

  static final Part PART =
      new Part(
          "SecretsReady",
          "SecretProviderClass",
          "spec.secrets",
          ConditionReason.SecretProviderClassNotOwned);

  /** The AWS provider's parameter that makes it use EKS Pod Identity. */
  public static final String USE_POD_IDENTITY = "usePodIdentity";

  private final IdentitySwitch identitySwitch;

  public SecretProviderClassDependentResource(DependentServices services) {
    super(SecretProviderClass.class, PART, services);
    this.identitySwitch = services.identitySwitch();
  }

  @Override
  public String crdName() {
    return SecretProviderClass.CRD_NAME;
  }

  @Override
  public String installHint() {
    return SecretProviderClass.INSTALL_HINT;
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return workload.getSpec().getSecrets() != null;
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return workload.getMetadata().getName();
  }

  @Override
  protected SecretProviderClass desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var secrets = workload.getSpec().getSecrets();
    var parameters = new LinkedHashMap<String, String>();
    parameters.put("objects", objectsParameter(secrets.getObjects()));
    if (secrets.getRegion() != null) {
      parameters.put("region", secrets.getRegion());
    }
    // The provider fetches with the pod's Pod Identity credentials instead of IRSA's, in the mode
    // the pods get as this reconciliation starts: never one whose identity is not made yet.
    if (identitySwitch.plan(workload, context).mountMode() == IdentityMode.PodIdentity) {
      parameters.put(USE_POD_IDENTITY, "true");
    }
    var spc = new SecretProviderClass();
    spc.setMetadata(metadata(workload));
    spc.setSpec(new SecretProviderClassSpec("aws", parameters, secretObjects(secrets)));
    return spc;
  }

  /**
   * The AWS provider reads {@code objects} as a YAML document inside a string. Values are written
   * as double-quoted scalars (JSON strings are valid YAML), in a fixed order, so that the string
   * only changes when the spec does.
   */
  static String objectsParameter(List<SecretObject> objects) {
    var yaml = new StringBuilder();
    for (var object : objects) {
      yaml.append("- objectName: ").append(quoted(object.getName())).append('\n');
      yaml.append("  objectType: ").append(quoted(object.getType().name())).append('\n');
      // Spelled out when the provider would derive it, so that the mount never depends on that
      // rule.
      appendIfSet(
          yaml,
          "  objectAlias: ",
          object.getName().equals(object.fileName()) ? null : object.fileName());
      appendIfSet(yaml, "  objectVersion: ", object.getVersion());
      appendIfSet(yaml, "  objectVersionLabel: ", object.getVersionLabel());
      if (object.getJmesPath() != null && !object.getJmesPath().isEmpty()) {
        yaml.append("  jmesPath:\n");
        for (var entry : object.getJmesPath()) {
          yaml.append("    - path: ").append(quoted(entry.getPath())).append('\n');
          yaml.append("      objectAlias: ").append(quoted(entry.getAlias())).append('\n');
        }
      }
    }
    return yaml.toString();
  }

  private static List<SecretProviderClassSpec.SecretObject> secretObjects(SecretsSpec secrets) {
    if (secrets.getSyncToSecrets() == null || secrets.getSyncToSecrets().isEmpty()) {
      return null;
    }
    return secrets.getSyncToSecrets().stream()
        .map(SecretProviderClassDependentResource::secretObject)
        .toList();
  }

  private static SecretProviderClassSpec.SecretObject secretObject(SyncedSecret synced) {
    var data =
        synced.getData().stream()
            .map(d -> new SecretProviderClassSpec.SecretObjectData(d.getObjectAlias(), d.getKey()))
            .toList();
    return new SecretProviderClassSpec.SecretObject(
        synced.getSecretName(),
        synced.getType() == null ? "Opaque" : synced.getType(),
        emptyToNull(synced.getLabels()),
        emptyToNull(synced.getAnnotations()),
        data);
  }

  private static void appendIfSet(StringBuilder yaml, String key, String value) {
    if (value != null) {
      yaml.append(key).append(quoted(value)).append('\n');
    }
  }

  private static String quoted(String value) {
    return TextNode.valueOf(value).toString();
  }

  private static <K, V> java.util.Map<K, V> emptyToNull(java.util.Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }
}
