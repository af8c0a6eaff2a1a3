package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.SecretAccess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    return inlinePolicy(spec, policy, context, ActionCatalogue.bundled(), new TenantArns());
  }

  /**
   * @param arns the workload's ARNs as the rules parsed them for the same decision
   */
  static String inlinePolicy(
      SecureWorkloadSpec spec,
      EffectivePolicy policy,
      GuardrailContext context,
      ActionCatalogue catalogue,
      TenantArns arns) {
    var writer = new Writer(policy, context, catalogue, arns);
    var statements = new ArrayList<PolicyStatement>();
    if (spec.getIam() != null && spec.getIam().getStatements() != null) {
      for (var statement : spec.getIam().getStatements()) {
        writer.write(statement, statements);
      }
    }
    var secretAccess =
        SecretAccess.statements(
            spec.getSecrets(),
            context.partition(),
            context.region(),
            context.accountId(),
            writer::listedByEvery,
            writer.keyAliasPattern());
    return PolicyDocuments.inlinePolicy(statements, secretAccess);
  }

  /** Whether the action is written apart, with the operator's key conditions. */
  static boolean actsOnKeys(CatalogueAction action) {
    return "kms".equals(action.service()) && action.hasResourceLevelPermissions();
  }

  /**
   * Writes one document: what every statement of it needs from the policies (the enforced ones, the
   * allowed accounts, the key alias) is worked out once.
   */
  private static final class Writer {

    private final GuardrailContext context;
    private final Placeholders placeholders;
    private final ActionCatalogue catalogue;
    private final TenantArns arns;
    private final EffectivePolicy policy;

    /**
     * Only enforced policies shape what is written: an Audit policy reports, it never narrows (a
     * cluster trying the closed default in Audit keeps its keys reachable as before).
     */
    private final List<PolicyRules> enforced;

    private List<String> accounts;

    /** A document's statements mostly repeat a few action patterns: their names, made once. */
    private final Map<List<CatalogueAction>, List<String>> names = new IdentityHashMap<>();

    Writer(
        EffectivePolicy policy,
        GuardrailContext context,
        ActionCatalogue catalogue,
        TenantArns arns) {
      this.policy = policy;
      this.context = context;
      this.placeholders = context.placeholders();
      this.catalogue = catalogue;
      this.arns = arns;
      this.enforced = policy.rules().stream().filter(PolicyRules::enforced).toList();
    }

    /** One statement of the spec as the statements that are written for it. */
    void write(PolicyStatement statement, List<PolicyStatement> out) {
      if (statement.getEffect() == PolicyStatement.Effect.Deny) {
        out.add(statement);
        return;
      }
      var granted =
          ActionSet.granted(
              Optional.ofNullable(statement.getActions()).orElse(List.of()), catalogue);
      var plain = new ArrayList<String>();
      var listedKeys = new ArrayList<String>();
      var aliasKeys = new ArrayList<String>();
      Map<String, List<String>> sharedBuckets = null;
      for (var resource : Optional.ofNullable(statement.getResources()).orElse(List.of())) {
        var arn = arns.parse(resource).filter(a -> !a.isEverything());
        if (arn.isPresent() && "kms".equals(arn.get().service())) {
          (listedByEvery(resource) ? listedKeys : aliasKeys).add(resource);
          continue;
        }
        var prefixes = arn.isPresent() ? sharedPrefixes(arn.get()) : Set.<String>of();
        if (prefixes.isEmpty()) {
          plain.add(resource);
        } else if (prefixes.size() == 1) {
          if (sharedBuckets == null) {
            sharedBuckets = new LinkedHashMap<>();
          }
          sharedBuckets
              .computeIfAbsent(prefixes.iterator().next(), p -> new ArrayList<>())
              .add(resource);
        }
        // Policies that admit different prefixes of one bucket: none is written, since a
        // condition's values are alternatives and no one statement could require both.
      }
      var sid = statement.getSid();
      add(out, sid, granted.otherActions(), plain, statement.getConditions());
      var keyActions = granted.keyActions();
      if (!keyActions.isEmpty() && !(listedKeys.isEmpty() && aliasKeys.isEmpty())) {
        var via = Map.of(VIA_SERVICE, viaServices(listedKeys, aliasKeys));
        add(
            out,
            suffixed(sid, "Kms"),
            keyActions,
            listedKeys,
            with(statement, "StringEquals", via));
        var alias =
            with(
                with(statement, "StringEquals", via),
                "ForAnyValue:StringLike",
                Map.of(RESOURCE_ALIASES, List.of(keyAliasPattern())));
        add(out, suffixed(sid, "KmsAlias"), keyActions, aliasKeys, alias);
      }
      if (sharedBuckets != null && !granted.listActions().isEmpty()) {
        int n = 0;
        for (var shared : sharedBuckets.entrySet()) {
          var prefix = shared.getKey();
          var conditions =
              with(statement, "StringLike", Map.of(S3_PREFIX, List.of(prefix, prefix + "*")));
          add(
              out,
              suffixed(sid, "Prefix" + (n++ == 0 ? "" : n)),
              granted.listActions(),
              shared.getValue(),
              conditions);
        }
      }
    }

    /**
     * The actions' names. Like the statements' resource lists, they are this document's own, so
     * never copied; never changed either, since statements share them.
     */
    private List<String> names(List<CatalogueAction> actions) {
      var known = names.get(actions);
      if (known == null) {
        var made = new String[actions.size()];
        for (int i = 0; i < made.length; i++) {
          made[i] = actions.get(i).fullName();
        }
        known = Arrays.asList(made);
        names.put(actions, known);
      }
      return known;
    }

    /** The accounts' aws:ResourceAccount condition is added where an ARN names no account. */
    private void add(
        List<PolicyStatement> out,
        String sid,
        List<CatalogueAction> actions,
        List<String> resources,
        Map<String, Map<String, List<String>>> conditions) {
      if (actions.isEmpty() || resources.isEmpty()) {
        return;
      }
      var statement =
          new PolicyStatement(
              sid,
              PolicyStatement.Effect.Allow,
              names(actions),
              resources,
              conditions == null || conditions.isEmpty() ? null : conditions);
      out.add(
          namesNoAccount(resources)
              ? ResourceAccountCondition.withAccounts(statement, accounts())
              : statement);
    }

    /** What {@link ResourceAccountCondition#needed} decides, on the ARNs already parsed. */
    private boolean namesNoAccount(List<String> resources) {
      for (var resource : resources) {
        var arn = arns.parse(resource);
        if (arn.isPresent() && !arn.get().isEverything() && arn.get().account().isEmpty()) {
          return true;
        }
      }
      return false;
    }

    private List<String> accounts() {
      if (accounts == null) {
        accounts = policy.allowedAccounts(placeholders);
      }
      return accounts;
    }

    /** The key prefixes of a bucket that policies admit only as a shared bucket; empty if none. */
    private Set<String> sharedPrefixes(ArnPattern arn) {
      Set<String> prefixes = Set.of();
      if (!ResourceRules.mayBeSharedBucket(arn)) {
        return prefixes;
      }
      for (var rules : enforced) {
        if (!ResourceRules.within(arn, rules.allowedResources(), placeholders)) {
          var prefix = ResourceRules.sharedBucketPrefix(arn, rules, placeholders);
          if (prefix.isPresent()) {
            if (prefixes.isEmpty()) {
              prefixes = new TreeSet<>();
            }
            prefixes.add(prefix.get());
          }
        }
      }
      return prefixes;
    }

    boolean listedByEvery(String key) {
      var arn = arns.parse(key);
      if (arn.isEmpty()) {
        return false;
      }
      for (var rules : enforced) {
        if (!ResourceRules.within(arn.get(), rules.allowedKmsKeys(), placeholders)) {
          return false;
        }
      }
      return true;
    }

    String keyAliasPattern() {
      return placeholders.substitute(DefaultGuardrails.KMS_ALIAS_PATTERN);
    }

    /** The services a workload reaches its keys through, in its region and the keys' regions. */
    private List<String> viaServices(List<String> listedKeys, List<String> aliasKeys) {
      var regions = new LinkedHashSet<String>();
      regions.add(context.region());
      for (var key : concat(listedKeys, aliasKeys)) {
        arns.parse(key)
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
