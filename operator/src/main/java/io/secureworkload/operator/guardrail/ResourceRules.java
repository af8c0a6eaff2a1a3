package io.secureworkload.operator.guardrail;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The checks every ARN a tenant names goes through: role resources, secrets, KMS keys. */
final class ResourceRules {

  /** How an ARN of a statement is admitted, and so how {@link WrittenPolicy} writes it. */
  enum Admitted {
    /** Within the allowed resources: written as it is. */
    PLAIN,
    /** A KMS key the policy lists: written with {@code kms:ViaService}. */
    KMS_LISTED,
    /** Any other key of an allowed account: written with its alias under the namespace too. */
    KMS_BY_ALIAS,
    /** A shared bucket: only listed, and only under the namespace's key prefix. */
    SHARED_BUCKET
  }

  /** Bucket actions that take the {@code s3:prefix} condition key. */
  private static final List<String> PREFIX_LISTINGS = List.of("ListBucket", "ListBucketVersions");

  /** Services whose ARNs name secrets, parameters and keys: held to the secret allow-lists. */
  private static final List<String> SECRET_SERVICES = List.of("secretsmanager", "ssm", "kms");

  private static final String SHARED_PREFIX_MARK = "/${namespace}/";

  private ResourceRules() {}

  /** Whether the action lists a bucket and takes {@code s3:prefix}. */
  static boolean listsUnderPrefix(CatalogueAction action) {
    if (!"s3".equals(action.service())) {
      return false;
    }
    for (var listing : PREFIX_LISTINGS) {
      if (listing.equalsIgnoreCase(action.name())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param allowedPatterns the policy's allow-list for this kind of ARN; null admits any ARN in an
   *     allowed account
   * @return whether the ARN passed
   */
  static boolean checkArn(
      FieldPath field,
      String arn,
      List<String> allowedPatterns,
      Rule notAllowed,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    var parsed = vettable(field, arn, ArnPattern::parse, policy, placeholders, findings);
    if (parsed.isEmpty()) {
      return false;
    }
    if (allowedPatterns != null && !within(parsed.get(), allowedPatterns, placeholders)) {
      findings.add(
          field,
          arn,
          notAllowed,
          "not within the allowed patterns " + substituted(allowedPatterns, placeholders),
          policy);
      return false;
    }
    return true;
  }

  /**
   * One resource of an Allow statement, under one policy: it must be an ARN the statement's actions
   * act on; secrets, parameters and keys are held to the secret allow-lists, everything else to the
   * allowed resources.
   *
   * @param granted what the statement's actions grant
   * @param arns the workload's ARNs, parsed once for the decision
   */
  static Optional<Admitted> admit(
      FieldPath field,
      String arn,
      ActionSet.Granted granted,
      PolicyRules policy,
      Placeholders placeholders,
      TenantArns arns,
      Findings findings) {
    var actions = granted.actions();
    var parsed = vettable(field, arn, arns::parse, policy, placeholders, findings);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    var pattern = parsed.get();
    if (!actions.isEmpty() && !actsOn(granted, pattern)) {
      findings.add(
          field,
          arn,
          Rule.RESOURCE_TYPE_MISMATCH,
          "names no resource the statement's actions act on (their resource types: "
              + resourceTypes(granted.resourceTypes())
              + ")",
          policy);
      return Optional.empty();
    }
    var service = pattern.service();
    if (!Glob.isLiteralText(service) && mayBeSecretService(pattern)) {
      findings.add(
          field,
          arn,
          Rule.RESOURCE_NOT_ALLOWED,
          "a wildcard service may reach secrets, parameters or keys; name the service",
          policy);
      return Optional.empty();
    }
    return switch (service) {
      case "secretsmanager" -> secret(field, pattern, policy, placeholders, findings);
      case "ssm" ->
          mayBeParameter(pattern)
              ? parameter(field, pattern, policy, placeholders, findings)
              : resource(field, pattern, granted, policy, placeholders, findings);
      case "kms" -> key(field, pattern, policy, placeholders, findings);
      default -> resource(field, pattern, granted, policy, placeholders, findings);
    };
  }

  private static boolean mayBeSecretService(ArnPattern arn) {
    for (var service : SECRET_SERVICES) {
      if (arn.mayBeService(service)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The key prefix a shared bucket admits the namespace to ({@code apps/team/} for an allowed
   * {@code arn:aws:s3:::shared/apps/${namespace}/*}), when the bucket is one.
   */
  static Optional<String> sharedBucketPrefix(
      ArnPattern bucket, PolicyRules policy, Placeholders placeholders) {
    if (!mayBeSharedBucket(bucket)) {
      return Optional.empty();
    }
    for (var allowed : policy.allowedResources()) {
      var parts = allowed.split(":", 6);
      if (parts.length < 6) {
        continue;
      }
      var resource = parts[5];
      int slash = resource.indexOf('/');
      int mark = resource.indexOf(SHARED_PREFIX_MARK);
      if (slash < 0 || mark < 0) {
        continue;
      }
      var head =
          allowed.substring(0, allowed.length() - resource.length()) + resource.substring(0, slash);
      var shared = ArnPattern.parse(head, placeholders);
      if (shared.isEmpty()
          || !"s3".equals(shared.get().service())
          || !shared.get().contains(bucket)) {
        continue;
      }
      var key =
          placeholders.substitute(
              resource.substring(slash + 1, mark + SHARED_PREFIX_MARK.length()));
      if (Glob.isLiteralText(key)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** Whether the ARN names buckets, which a policy may share: no other ARN can be a shared one. */
  static boolean mayBeSharedBucket(ArnPattern arn) {
    return "s3".equals(arn.service()) && !arn.resource().contains("/");
  }

  /**
   * An ARN without an account (S3) passes here: the operator can only keep it in the account with
   * an aws:ResourceAccount condition (see {@link ResourceAccountCondition}).
   */
  static boolean accountAllowed(ArnPattern arn, PolicyRules policy, Placeholders placeholders) {
    if (arn.hasWildcardAccount()) {
      return false;
    }
    return arn.account().isEmpty()
        || filledInAccounts(policy.allowedAccounts(), placeholders).contains(arn.account());
  }

  static boolean within(ArnPattern arn, List<String> allowedPatterns, Placeholders placeholders) {
    for (var allowed : filledIn(allowedPatterns, placeholders)) {
      if (allowed.contains(arn)) {
        return true;
      }
    }
    return false;
  }

  private record Filling(List<String> patterns, Placeholders placeholders) {}

  private static final Map<Filling, List<ArnPattern>> FILLED = keptUpTo(4096);

  private static final Map<Filling, List<String>> FILLED_ACCOUNTS = keptUpTo(4096);

  private static <V> Map<Filling, V> keptUpTo(int entries) {
    return Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Filling, V> eldest) {
            return size() > entries;
          }
        });
  }

  /**
   * A policy's patterns filled in for one namespace and parsed, kept: every resource of every
   * statement is held to them, and a namespace's workloads come back at each resync.
   */
  private static List<ArnPattern> filledIn(List<String> patterns, Placeholders placeholders) {
    return FILLED.computeIfAbsent(
        new Filling(patterns, placeholders),
        key ->
            key.patterns().stream()
                .map(pattern -> ArnPattern.parse(key.placeholders().substitute(pattern)))
                .flatMap(Optional::stream)
                .toList());
  }

  /** A policy's accounts filled in for one namespace, kept as its patterns are. */
  private static List<String> filledInAccounts(List<String> accounts, Placeholders placeholders) {
    return FILLED_ACCOUNTS.computeIfAbsent(
        new Filling(accounts, placeholders),
        key -> key.patterns().stream().map(key.placeholders()::substitute).toList());
  }

  /** Whether the ARN may name a resource of a type the granted actions act on. */
  static boolean actsOn(ActionSet.Granted granted, ArnPattern arn) {
    var service = arn.service();
    return actsOn(
        Glob.isLiteralText(service) ? granted.forService(service) : granted.resourceTypes(), arn);
  }

  /** Whether the ARN may name a resource of one of these types. */
  static boolean actsOn(List<ResourceType> types, ArnPattern arn) {
    for (var type : types) {
      var format = ActionSet.format(type);
      if (format.isPresent() && format.get().overlaps(arn)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<ArnPattern> vettable(
      FieldPath field,
      String arn,
      Function<String, Optional<ArnPattern>> parser,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (ArnPattern.hasPolicyVariable(arn)) {
      findings.add(
          field,
          arn,
          Rule.POLICY_VARIABLE,
          "IAM policy variables (${...}) resolve per request and cannot be vetted; name the"
              + " resource",
          policy);
      return Optional.empty();
    }
    var parsed = parser.apply(arn);
    if (parsed.isEmpty() || parsed.get().isEverything()) {
      findings.add(
          field,
          arn,
          Rule.INVALID_VALUE,
          "not an ARN of the form arn:partition:service:region:account:resource",
          policy);
      return Optional.empty();
    }
    var pattern = parsed.get();
    if (!accountAllowed(pattern, policy, placeholders)) {
      findings.add(
          field,
          arn,
          Rule.FOREIGN_ACCOUNT,
          pattern.hasWildcardAccount()
              ? "a wildcard account may reach every account; name the account"
              : "account " + pattern.account() + " is not allowed here",
          policy);
      return Optional.empty();
    }
    return parsed;
  }

  private static Optional<Admitted> secret(
      FieldPath field,
      ArnPattern arn,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    var resource = arn.resource();
    var name = resource.startsWith("secret:") ? resource.substring("secret:".length()) : null;
    return secretName(field, arn, name, false, "a secret", policy, placeholders, findings);
  }

  /** Whether the resource part could name a parameter: {@code *} and {@code param*} can. */
  private static boolean mayBeParameter(ArnPattern arn) {
    var resource = new Glob(arn.resource());
    var parameters = new Glob("parameter*");
    return Glob.overlaps(resource, parameters);
  }

  private static Optional<Admitted> parameter(
      FieldPath field,
      ArnPattern arn,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    var resource = arn.resource();
    var name = resource.startsWith("parameter/") ? resource.substring("parameter".length()) : null;
    return secretName(field, arn, name, true, "a parameter", policy, placeholders, findings);
  }

  /** A secret's or parameter's name (null when the ARN names none) held to the secret names. */
  private static Optional<Admitted> secretName(
      FieldPath field,
      ArnPattern arn,
      String name,
      boolean parameter,
      String what,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (name != null
        && SecretRules.nameAllowed(
            name, parameter, true, policy.allowedSecretNames(), placeholders)) {
      return Optional.of(Admitted.PLAIN);
    }
    findings.add(
        field,
        arn.text(),
        Rule.SECRET_NOT_ALLOWED,
        what
            + " is held to the allowed secret names "
            + substituted(policy.allowedSecretNames(), placeholders)
            + ", in statements as in spec.secrets",
        policy);
    return Optional.empty();
  }

  private static Optional<Admitted> key(
      FieldPath field,
      ArnPattern arn,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (within(arn, policy.allowedKmsKeys(), placeholders)) {
      return Optional.of(Admitted.KMS_LISTED);
    }
    if (arn.resource().startsWith("key/")) {
      return Optional.of(Admitted.KMS_BY_ALIAS);
    }
    findings.add(
        field,
        arn.text(),
        Rule.KMS_KEY_NOT_ALLOWED,
        "name a key (key/...), which is then reached only through an alias under "
            + placeholders.substitute(DefaultGuardrails.KMS_ALIAS_PATTERN)
            + ", or one of the allowed keys "
            + substituted(policy.allowedKmsKeys(), placeholders),
        policy);
    return Optional.empty();
  }

  private static Optional<Admitted> resource(
      FieldPath field,
      ArnPattern arn,
      ActionSet.Granted granted,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (within(arn, policy.allowedResources(), placeholders)) {
      return Optional.of(Admitted.PLAIN);
    }
    boolean lists = !granted.listActions().isEmpty();
    if (lists && sharedBucketPrefix(arn, policy, placeholders).isPresent()) {
      var others =
          granted.actions().stream()
              .filter(a -> !listsUnderPrefix(a))
              .filter(a -> actsOn(a.resourceTypes(), arn))
              .map(CatalogueAction::fullName)
              .toList();
      if (others.isEmpty()) {
        return Optional.of(Admitted.SHARED_BUCKET);
      }
      findings.add(
          field,
          arn.text(),
          Rule.RESOURCE_NOT_ALLOWED,
          "a shared bucket is only listed, under the namespace's prefix; "
              + IamRules.some(others)
              + " may not act on it",
          policy);
      return Optional.empty();
    }
    findings.add(
        field,
        arn.text(),
        Rule.RESOURCE_NOT_ALLOWED,
        policy.allowedResources().equals(NamespaceScopedResources.patterns())
            ? "not a resource of this namespace: its name must start with the namespace and a"
                + " separator no namespace name holds (for example "
                + placeholders.substitute(NamespaceScopedResources.patterns().get(0))
                + "; docs/guardrails.md lists them)"
            : "not within the allowed resources "
                + substituted(policy.allowedResources(), placeholders),
        policy);
    return Optional.empty();
  }

  private static String resourceTypes(List<ResourceType> types) {
    var names = types.stream().limit(6).map(t -> t.service() + ":" + t.name()).toList();
    if (names.isEmpty()) {
      return "none, Resource \"*\" only";
    }
    return String.join(", ", names)
        + (types.size() > 6 ? " and " + (types.size() - 6) + " more" : "");
  }

  private static List<String> substituted(List<String> patterns, Placeholders placeholders) {
    var shown = patterns.stream().limit(5).map(placeholders::substitute).toList();
    return patterns.size() > 5
        ? java.util.stream.Stream.concat(
                shown.stream(),
                java.util.stream.Stream.of("... " + (patterns.size() - 5) + " more"))
            .toList()
        : shown;
  }
}
