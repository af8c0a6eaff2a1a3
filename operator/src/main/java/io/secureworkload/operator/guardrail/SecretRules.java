package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecretsSpec;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.iam.SecretAccess;
import java.util.List;
import java.util.Optional;

/** One policy's rules for mounted secrets, parameters and KMS keys. */
final class SecretRules {

  static final FieldPath SECRETS = FieldPath.of("spec", "secrets");

  /** Secrets Manager appends a dash and six random characters to a secret's name in its ARN. */
  private static final String SECRET_ARN_SUFFIX = "-??????";

  private SecretRules() {}

  static void check(
      SecureWorkloadSpec spec,
      PolicyRules policy,
      Placeholders placeholders,
      ActionCatalogue catalogue,
      Findings findings) {
    var secrets = spec.getSecrets();
    if (secrets == null) {
      return;
    }
    var objects = Optional.ofNullable(secrets.getObjects()).orElse(List.of());
    for (int i = 0; i < objects.size(); i++) {
      var field = SECRETS.child("objects").index(i);
      checkObject(field, objects.get(i), policy, placeholders, findings);
      boolean parameter = objects.get(i).getType() == SecretObject.ObjectType.ssmparameter;
      checkAccess(
          field.child("name"),
          objects.get(i).getName(),
          parameter ? SecretAccess.PARAMETER_ACTIONS : SecretAccess.SECRET_ACTIONS,
          policy,
          catalogue,
          findings);
    }
    var keys = Optional.ofNullable(secrets.getKmsKeyArns()).orElse(List.of());
    for (int k = 0; k < keys.size(); k++) {
      var field = SECRETS.child("kmsKeyArns").index(k);
      checkKey(field, keys.get(k), policy, placeholders, findings);
      checkAccess(field, keys.get(k), SecretAccess.KEY_ACTIONS, policy, catalogue, findings);
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

  /**
   * The operator grants what mounting takes (GetSecretValue, GetParameters, Decrypt): those actions
   * are held to the policy's allowed and denied actions like a statement's.
   */
  private static void checkAccess(
      FieldPath field,
      String value,
      List<String> actions,
      PolicyRules policy,
      ActionCatalogue catalogue,
      Findings findings) {
    var denied = ActionSet.of(policy.deniedActions(), catalogue);
    var allowed = ActionSet.of(policy.allowedActions(), catalogue);
    // In the order mounting names the actions: a set's order would change the message, and so
    // the status, from one run of the operator to the next.
    CatalogueAction firstDenied = null;
    CatalogueAction firstNotAllowed = null;
    for (var name : actions) {
      for (var action : catalogue.expand(name)) {
        if (firstDenied == null && denied.contains(action)) {
          firstDenied = action;
        }
        if (firstNotAllowed == null && !allowed.contains(action)) {
          firstNotAllowed = action;
        }
      }
    }
    if (firstDenied != null) {
      findings.add(
          field,
          value,
          Rule.ACTION_DENIED,
          "mounting it takes " + firstDenied.fullName() + ", which the policy denies",
          policy);
    }
    if (firstNotAllowed != null) {
      findings.add(
          field,
          value,
          Rule.ACTION_NOT_ALLOWED,
          "mounting it takes "
              + firstNotAllowed.fullName()
              + ", not within the policy's allowed actions",
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
    boolean fromArn = name.startsWith("arn:");
    if (fromArn) {
      if (!ResourceRules.checkArn(
          nameField, name, null, Rule.SECRET_NOT_ALLOWED, policy, placeholders, findings)) {
        return;
      }
      name = nameInArn(name, parameter);
    }
    if (!nameAllowed(name, parameter, fromArn, policy.allowedSecretNames(), placeholders)) {
      findings.add(
          nameField,
          object.getName(),
          Rule.SECRET_NOT_ALLOWED,
          "not within the allowed names "
              + policy.allowedSecretNames().stream().map(placeholders::substitute).toList(),
          policy);
    }
  }

  /**
   * Whether every name the candidate may stand for lies within an allowed pattern. Secrets
   * Manager's random suffix ({@code -} and six characters) is accepted only on a name taken from a
   * full ARN, which carries it: after a plain name it would let {@code shared/db} admit {@code
   * shared/db-backup}.
   */
  static boolean nameAllowed(
      String name,
      boolean parameter,
      boolean fromArn,
      List<String> patterns,
      Placeholders placeholders) {
    var candidate = new Glob(parameter ? withoutLeadingSlash(name) : name);
    return patterns.stream()
        .map(placeholders::substitute)
        .map(pattern -> parameter ? withoutLeadingSlash(pattern) : pattern)
        .anyMatch(
            pattern ->
                contains(new Glob(pattern), candidate)
                    || (!parameter
                        && fromArn
                        && contains(new Glob(pattern + SECRET_ARN_SUFFIX), candidate)));
  }

  private static boolean contains(Glob outer, Glob inner) {
    return Glob.contains(outer, inner);
  }

  /**
   * A key the policy lists, or any key of an allowed account, which the written policy then reaches
   * only through an alias under the namespace ({@link WrittenPolicy}).
   */
  private static void checkKey(
      FieldPath field,
      String arn,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (!ResourceRules.checkArn(
        field, arn, null, Rule.KMS_KEY_NOT_ALLOWED, policy, placeholders, findings)) {
      return;
    }
    var key = ArnPattern.parse(arn).orElseThrow();
    boolean listed = ResourceRules.within(key, policy.allowedKmsKeys(), placeholders);
    if (!listed && !("kms".equals(key.service()) && key.resource().startsWith("key/"))) {
      findings.add(
          field,
          arn,
          Rule.KMS_KEY_NOT_ALLOWED,
          "not a KMS key ARN (arn:...:kms:region:account:key/...) nor one of the allowed keys",
          policy);
    }
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
