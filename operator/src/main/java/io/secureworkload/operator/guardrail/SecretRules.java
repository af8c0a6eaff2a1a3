package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecretsSpec;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.Optional;

/** One policy's rules for mounted secrets, parameters and KMS keys. */
final class SecretRules {

  static final FieldPath SECRETS = FieldPath.of("spec", "secrets");

  /** Secrets Manager appends a dash and six random characters to a secret's name in its ARN. */
  private static final String SECRET_ARN_SUFFIX = "-??????";

  private SecretRules() {}

  static void check(
      SecureWorkloadSpec spec, PolicyRules policy, Placeholders placeholders, Findings findings) {
    var secrets = spec.getSecrets();
    if (secrets == null) {
      return;
    }
    var objects = Optional.ofNullable(secrets.getObjects()).orElse(List.of());
    for (int i = 0; i < objects.size(); i++) {
      checkObject(
          SECRETS.child("objects").index(i), objects.get(i), policy, placeholders, findings);
    }
    var keys = Optional.ofNullable(secrets.getKmsKeyArns()).orElse(List.of());
    for (int k = 0; k < keys.size(); k++) {
      ResourceRules.checkArn(
          SECRETS.child("kmsKeyArns").index(k),
          keys.get(k),
          policy.allowedKmsKeys(),
          Rule.KMS_KEY_NOT_ALLOWED,
          policy,
          placeholders,
          findings);
    }
    if (hasSync(secrets) && !policy.allowSyncToSecrets()) {
      findings.add(
          SECRETS.child("syncToSecrets"),
          secrets.getSyncToSecrets().size() + " Secret(s)",
          Rule.SYNC_TO_SECRETS_NOT_ALLOWED,
          "mounted objects may not be copied into Kubernetes Secrets here",
          policy);
    }
  }

  private static void checkObject(
      FieldPath field,
      SecretObject object,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    var nameField = field.child("name");
    var name = object.getName();
    boolean parameter = object.getType() == SecretObject.ObjectType.ssmparameter;
    if (name.startsWith("arn:")) {
      if (!ResourceRules.checkArn(
          nameField, name, null, Rule.SECRET_NOT_ALLOWED, policy, placeholders, findings)) {
        return;
      }
      name = nameInArn(name, parameter);
    }
    if (!nameAllowed(name, parameter, policy.allowedSecretNames(), placeholders)) {
      findings.add(
          nameField,
          object.getName(),
          Rule.SECRET_NOT_ALLOWED,
          "not within the allowed names "
              + policy.allowedSecretNames().stream().map(placeholders::substitute).toList(),
          policy);
    }
  }

  static boolean nameAllowed(
      String name, boolean parameter, List<String> patterns, Placeholders placeholders) {
    var candidate = parameter ? withoutLeadingSlash(name) : name;
    return patterns.stream()
        .map(placeholders::substitute)
        .map(pattern -> parameter ? withoutLeadingSlash(pattern) : pattern)
        .anyMatch(
            pattern ->
                new Glob(pattern).matches(candidate)
                    || (!parameter && new Glob(pattern + SECRET_ARN_SUFFIX).matches(candidate)));
  }

  /** The name inside a secret ({@code secret:NAME}) or parameter ({@code parameter/NAME}) ARN. */
  private static String nameInArn(String arn, boolean parameter) {
    var resource = arn.split(":", 6)[5];
    var prefix = parameter ? "parameter" : "secret:";
    return resource.startsWith(prefix) ? resource.substring(prefix.length()) : resource;
  }

  private static String withoutLeadingSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static boolean hasSync(SecretsSpec secrets) {
    return secrets.getSyncToSecrets() != null && !secrets.getSyncToSecrets().isEmpty();
  }
}
