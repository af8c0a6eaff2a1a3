package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.Patterns;
import io.secureworkload.operator.api.SecretsSpec;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values the operator passes on for other controllers to act on, each held to an allow-list in
 * every mode: the SecretProviderClass's parameters (the CSI driver's AWS provider reads them), the
 * type, labels and annotations of a synced Secret (the CSI driver creates it, and other controllers
 * act on Secret types and prefixed keys), security group ids (the VPC resource controller attaches
 * them). The schema holds the same lists ({@link Patterns}); these hold where a cluster still has
 * an earlier CRD.
 */
final class PassedOnValues {

  private static final FieldPath SECRETS = FieldPath.of("spec", "secrets");

  private PassedOnValues() {}

  static void check(SecureWorkloadSpec spec, Findings findings) {
    if (spec.getSecrets() != null) {
      checkProviderParameters(spec.getSecrets(), findings);
      checkSyncedSecrets(spec.getSecrets(), findings);
    }
    if (spec.getSecurityGroups() != null) {
      var ids = Optional.ofNullable(spec.getSecurityGroups().getGroupIds()).orElse(List.of());
      for (int k = 0; k < ids.size(); k++) {
        require(
            NetworkRules.GROUP_IDS.index(k),
            ids.get(k),
            Patterns.SECURITY_GROUP_ID,
            "a security group id is sg- and 8 or 17 hex digits",
            findings);
      }
    }
  }

  private static void checkProviderParameters(SecretsSpec secrets, Findings findings) {
    if (secrets.getRegion() != null) {
      require(
          SECRETS.child("region"),
          secrets.getRegion(),
          Patterns.AWS_REGION,
          "not an AWS region",
          findings);
    }
    var objects = Optional.ofNullable(secrets.getObjects()).orElse(List.of());
    for (int i = 0; i < objects.size(); i++) {
      var field = SECRETS.child("objects").index(i);
      var object = objects.get(i);
      require(
          field.child("name"),
          object.getName(),
          Patterns.SECRET_OBJECT_NAME,
          "a secret or parameter name or ARN holds letters, digits and /_+=.@:- only",
          findings);
      if (object.getAlias() != null) {
        requireFileName(field.child("alias"), object.getAlias(), findings);
      } else if (object.getName() != null && isDirectory(object.fileName())) {
        findings.addAlwaysEnforced(
            field.child("alias"),
            object.fileName(),
            Rule.VALUE_NOT_ALLOWED,
            "the object would be mounted as " + object.fileName() + ", a directory; give an alias",
            DefaultGuardrails.DEFAULT_POLICY_NAME);
      }
      optional(
          field.child("version"),
          object.getVersion(),
          Patterns.OBJECT_VERSION,
          "a version id or number holds letters, digits and - only",
          findings);
      optional(
          field.child("versionLabel"),
          object.getVersionLabel(),
          Patterns.OBJECT_VERSION_LABEL,
          "a version label holds letters, digits and ._- only",
          findings);
      var jmesPath = Optional.ofNullable(object.getJmesPath()).orElse(List.of());
      for (int j = 0; j < jmesPath.size(); j++) {
        var entry = field.child("jmesPath").index(j);
        require(
            entry.child("path"),
            jmesPath.get(j).getPath(),
            Patterns.JMES_PATH,
            "a JMESPath here selects a key: identifiers, plain or double-quoted, joined by dots",
            findings);
        requireFileName(entry.child("alias"), jmesPath.get(j).getAlias(), findings);
      }
    }
  }

  private static void checkSyncedSecrets(SecretsSpec secrets, Findings findings) {
    var synced = Optional.ofNullable(secrets.getSyncToSecrets()).orElse(List.of());
    for (int i = 0; i < synced.size(); i++) {
      var field = SECRETS.child("syncToSecrets").index(i);
      var secret = synced.get(i);
      require(
          field.child("secretName"),
          secret.getSecretName(),
          Patterns.DNS_SUBDOMAIN,
          "not a Secret name",
          findings);
      optional(
          field.child("type"),
          secret.getType(),
          Patterns.SYNCED_SECRET_TYPE,
          "a synced Secret is Opaque, kubernetes.io/basic-auth, ssh-auth, tls, dockerconfigjson or"
              + " dockercfg: controllers act on other types (the token controller fills a"
              + " service-account-token Secret with a token)",
          findings);
      checkKeys(field.child("labels"), secret.getLabels(), findings);
      checkKeys(field.child("annotations"), secret.getAnnotations(), findings);
      var labels = Optional.ofNullable(secret.getLabels()).orElse(Map.of());
      if (labels.containsKey(Patterns.HELM_RELEASE_OWNER_LABEL)) {
        findings.addAlwaysEnforced(
            field.child("labels").child(Patterns.HELM_RELEASE_OWNER_LABEL),
            labels.get(Patterns.HELM_RELEASE_OWNER_LABEL),
            Rule.VALUE_NOT_ALLOWED,
            "Helm finds its release records by the label owner=helm, whatever their type",
            DefaultGuardrails.DEFAULT_POLICY_NAME);
      }
      labels.forEach(
          (key, value) ->
              require(
                  field.child("labels").child(key),
                  value,
                  Patterns.LABEL_VALUE,
                  "not a label value",
                  findings));
    }
  }

  private static void checkKeys(FieldPath field, Map<String, String> entries, Findings findings) {
    Optional.ofNullable(entries)
        .orElse(Map.of())
        .keySet()
        .forEach(
            key ->
                require(
                    field.child(key),
                    key,
                    Patterns.UNPREFIXED_KEY,
                    "keys may have no prefix: other controllers act on prefixed keys"
                        + " (kubernetes.io/service-account.name, argocd.argoproj.io/...,"
                        + " a replicator's replicate-to)",
                    findings));
  }

  private static void requireFileName(FieldPath field, String name, Findings findings) {
    require(
        field,
        name,
        Patterns.FILE_NAME,
        "a file name in the mount holds letters, digits and ._- only, and is not . or ..",
        findings);
  }

  private static boolean isDirectory(String fileName) {
    return ".".equals(fileName) || "..".equals(fileName);
  }

  private static void optional(
      FieldPath field, String value, String pattern, String detail, Findings findings) {
    if (value != null) {
      require(field, value, pattern, detail, findings);
    }
  }

  private static void require(
      FieldPath field, String value, String pattern, String detail, Findings findings) {
    if (value == null || !value.matches(pattern)) {
      findings.addAlwaysEnforced(
          field,
          String.valueOf(value),
          Rule.VALUE_NOT_ALLOWED,
          detail,
          DefaultGuardrails.DEFAULT_POLICY_NAME);
    }
  }
}
