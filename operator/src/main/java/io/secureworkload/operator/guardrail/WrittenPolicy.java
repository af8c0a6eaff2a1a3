package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.SecretAccess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The inline policy exactly as the operator sends it to IAM: the one document IAM's size limit is
 * measured on and the role is given.
 *
 * <p>Allow statements are written with the catalogue's expansion of their actions, never the
 * patterns, so a role never gains an action that did not exist when it was vetted. The operator
 * adds its own conditions: {@code aws:ResourceAccount} where an ARN names no account (S3), {@code
 * kms:ViaService} on KMS keys and, for keys no policy lists, an alias under the namespace, and
 * {@code s3:prefix} on a shared bucket. Resources that need a condition the others must not get are
 * split into statements of their own, so a condition never takes away what it does not guard. Deny
 * statements are written as the tenant wrote them: a wildcard there also denies actions AWS adds
 * later.
 */
public final class WrittenPolicy {

  private static final String VIA_SERVICE = "kms:ViaService";
  private static final String RESOURCE_ALIASES = "kms:ResourceAliases";
  private static final String S3_PREFIX = "s3:prefix";

  private WrittenPolicy() {}

  /** The document, or null when the role gets no inline policy. */
  public static String inlinePolicy(
      SecureWorkloadSpec spec, EffectivePolicy policy, GuardrailContext context) {
    return inlinePolicy(spec, policy, context, ActionCatalogue.bundled());
  }

  static String inlinePolicy(
      SecureWorkloadSpec spec,
      EffectivePolicy policy,
      GuardrailContext context,
      ActionCatalogue catalogue) {
    var placeholders = context.placeholders();
    var statements = new ArrayList<PolicyStatement>();
    if (spec.getIam() != null && spec.getIam().getStatements() != null) {
      for (var statement : spec.getIam().getStatements()) {
        statements.addAll(written(statement, policy, context, catalogue));
      }
    }
    var secretAccess =
        SecretAccess.statements(
            spec.getSecrets(),
            context.partition(),
            context.region(),
            context.accountId(),
            key -> listedByEvery(policy, key, placeholders),
            placeholders.substitute(DefaultGuardrails.KMS_ALIAS_PATTERN));
    return PolicyDocuments.inlinePolicy(statements, secretAccess);
  }

  /** One statement of the spec as the statements that are written for it. */
  static List<PolicyStatement> written(
      PolicyStatement statement,
      EffectivePolicy policy,
      GuardrailContext context,
      ActionCatalogue catalogue) {
    if (statement.getEffect() == PolicyStatement.Effect.Deny) {
      return List.of(statement);
    }
    var placeholders = context.placeholders();
    var granted = IamRules.granted(statement, catalogue);
    var keyActions = new ArrayList<String>();
    var otherActions = new ArrayList<String>();
    var listActions = new ArrayList<String>();
    for (var action : granted) {
      boolean keyScoped = "kms".equals(action.service()) && action.hasResourceLevelPermissions();
      (keyScoped ? keyActions : otherActions).add(action.fullName());
      if (ResourceRules.PREFIX_LIST_ACTIONS.contains(action.fullName().toLowerCase(Locale.ROOT))) {
        listActions.add(action.fullName());
      }
    }
    var plain = new ArrayList<String>();
    var listedKeys = new ArrayList<String>();
    var aliasKeys = new ArrayList<String>();
    var sharedBuckets = new LinkedHashMap<String, List<String>>();
    for (var resource : Optional.ofNullable(statement.getResources()).orElse(List.of())) {
      var arn = ArnPattern.parse(resource).filter(a -> !a.isEverything());
      if (arn.isPresent() && "kms".equals(arn.get().service())) {
        (listedByEvery(policy, resource, placeholders) ? listedKeys : aliasKeys).add(resource);
        continue;
      }
      var prefixes = arn.map(a -> sharedPrefixes(a, policy, placeholders)).orElse(Set.of());
      if (prefixes.isEmpty()) {
        plain.add(resource);
      } else if (prefixes.size() == 1) {
        sharedBuckets
            .computeIfAbsent(prefixes.iterator().next(), p -> new ArrayList<>())
            .add(resource);
      }
      // Policies that admit different prefixes of one bucket: none is written, since a
      // condition's values are alternatives and no one statement could require both.
    }
    var accounts = policy.allowedAccounts(placeholders);
    var out = new ArrayList<PolicyStatement>();
    var sid = statement.getSid();
    add(out, sid, otherActions, plain, statement.getConditions(), accounts);
    var via = Map.of(VIA_SERVICE, viaServices(context, listedKeys, aliasKeys));
    add(
        out,
        suffixed(sid, "Kms"),
        keyActions,
        listedKeys,
        with(statement, "StringEquals", via),
        accounts);
    var alias =
        with(
            with(statement, "StringEquals", via),
            "ForAnyValue:StringLike",
            Map.of(
                RESOURCE_ALIASES,
                List.of(placeholders.substitute(DefaultGuardrails.KMS_ALIAS_PATTERN))));
    add(out, suffixed(sid, "KmsAlias"), keyActions, aliasKeys, alias, accounts);
    int n = 0;
    for (var shared : sharedBuckets.entrySet()) {
      var prefix = shared.getKey();
      var conditions =
          with(statement, "StringLike", Map.of(S3_PREFIX, List.of(prefix, prefix + "*")));
      add(
          out,
          suffixed(sid, "Prefix" + (n++ == 0 ? "" : n)),
          listActions,
          shared.getValue(),
          conditions,
          accounts);
    }
    return out;
  }

  /** The accounts' aws:ResourceAccount condition is added where an ARN names no account. */
  private static void add(
      List<PolicyStatement> out,
      String sid,
      List<String> actions,
      List<String> resources,
      Map<String, Map<String, List<String>>> conditions,
      List<String> accounts) {
    if (actions.isEmpty() || resources.isEmpty()) {
      return;
    }
    var statement =
        new PolicyStatement(
            sid,
            PolicyStatement.Effect.Allow,
            List.copyOf(actions),
            List.copyOf(resources),
            conditions == null || conditions.isEmpty() ? null : conditions);
    out.add(ResourceAccountCondition.apply(statement, accounts));
  }

  /** The key prefixes of a bucket that policies admit only as a shared bucket; empty if none. */
  private static Set<String> sharedPrefixes(
      ArnPattern arn, EffectivePolicy policy, Placeholders placeholders) {
    var prefixes = new TreeSet<String>();
    for (var rules : enforced(policy)) {
      if (!ResourceRules.within(arn, rules.allowedResources(), placeholders)) {
        ResourceRules.sharedBucketPrefix(arn, rules, placeholders).ifPresent(prefixes::add);
      }
    }
    return prefixes;
  }

  private static boolean listedByEvery(
      EffectivePolicy policy, String key, Placeholders placeholders) {
    var arn = ArnPattern.parse(key);
    return arn.isPresent()
        && enforced(policy).stream()
            .allMatch(
                rules -> ResourceRules.within(arn.get(), rules.allowedKmsKeys(), placeholders));
  }

  /**
   * Only enforced policies shape what is written: an Audit policy reports, it never narrows (a
   * cluster trying the closed default in Audit keeps its keys reachable as before).
   */
  private static List<PolicyRules> enforced(EffectivePolicy policy) {
    return policy.rules().stream().filter(PolicyRules::enforced).toList();
  }

  /** The services a workload reaches its keys through, in its region and the keys' regions. */
  private static List<String> viaServices(
      GuardrailContext context, List<String> listedKeys, List<String> aliasKeys) {
    var regions = new LinkedHashSet<String>();
    regions.add(context.region());
    for (var key : concat(listedKeys, aliasKeys)) {
      ArnPattern.parse(key)
          .map(a -> a.text().split(":", 6)[3])
          .filter(region -> !region.isEmpty() && Glob.isLiteralText(region))
          .ifPresent(regions::add);
    }
    var suffix = "aws-cn".equals(context.partition()) ? "amazonaws.com.cn" : "amazonaws.com";
    var services = new ArrayList<String>();
    for (var region : regions) {
      for (var service : DataPlaneActions.KMS_VIA_SERVICES) {
        services.add(service + "." + region + "." + suffix);
      }
    }
    return services;
  }

  /** The statement's own conditions with one operator's keys set (replacing the tenant's). */
  private static Map<String, Map<String, List<String>>> with(
      PolicyStatement statement, String operator, Map<String, List<String>> keys) {
    return with(statement.getConditions(), operator, keys);
  }

  private static Map<String, Map<String, List<String>>> with(
      Map<String, Map<String, List<String>>> conditions,
      String operator,
      Map<String, List<String>> keys) {
    var copy = new HashMap<String, Map<String, List<String>>>();
    Optional.ofNullable(conditions)
        .orElse(Map.of())
        .forEach((o, k) -> copy.put(o, new HashMap<>(k)));
    copy.computeIfAbsent(operator, o -> new HashMap<>()).putAll(keys);
    return copy;
  }

  private static String suffixed(String sid, String suffix) {
    return sid == null ? null : sid + suffix;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
