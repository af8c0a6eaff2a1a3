package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.PolicyStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * S3 ARNs name no account, so a bucket pattern alone may reach buckets of any account. The
 * condition {@code StringEquals aws:ResourceAccount} makes IAM check the account that owns the
 * resource at request time; the wiring adds it to every Allow statement that names such an ARN.
 */
public final class ResourceAccountCondition {

  public static final String OPERATOR = "StringEquals";
  public static final String KEY = "aws:ResourceAccount";

  private ResourceAccountCondition() {}

  /** Whether an Allow statement names an ARN without an account. */
  public static boolean needed(PolicyStatement statement) {
    return statement.getEffect() != PolicyStatement.Effect.Deny
        && Optional.ofNullable(statement.getResources()).orElse(List.of()).stream()
            .map(ArnPattern::parse)
            .flatMap(Optional::stream)
            .anyMatch(arn -> !arn.isEverything() && arn.account().isEmpty());
  }

  /**
   * The statement with the condition added (a copy), or the statement itself when it needs none.
   * The tenant's other conditions stay: IAM requires all of them, so they can only narrow; one the
   * tenant wrote on the same operator and key is replaced by the allowed accounts.
   */
  public static PolicyStatement apply(PolicyStatement statement, List<String> accounts) {
    return needed(statement) ? withAccounts(statement, accounts) : statement;
  }

  /** The statement with the condition added (a copy), whether it needs it or not. */
  static PolicyStatement withAccounts(PolicyStatement statement, List<String> accounts) {
    var conditions = new HashMap<String, Map<String, List<String>>>();
    Optional.ofNullable(statement.getConditions())
        .orElse(Map.of())
        .forEach((operator, keys) -> conditions.put(operator, new HashMap<>(keys)));
    conditions.computeIfAbsent(OPERATOR, o -> new HashMap<>()).put(KEY, List.copyOf(accounts));
    return new PolicyStatement(
        statement.getSid(),
        statement.getEffect(),
        statement.getActions(),
        statement.getResources(),
        conditions);
  }
}
