package io.secureworkload.operator.iam;

import java.util.Objects;

/**
 * The AWS account a workload's role lives in, and how the operator reaches it: with its own
 * credentials ({@link #home}), or by assuming {@code roleArn} there with an optional external id
 * kept in a Secret of the operator's namespace.
 *
 * @param id the 12-digit account id
 * @param roleArn the role the operator assumes there; null for the operator's own account
 * @param externalIdSecret the Secret holding the external id; null for none
 * @param externalIdKey the key of that Secret holding it
 */
public record AccountTarget(
    String id, String roleArn, String externalIdSecret, String externalIdKey) {

  public AccountTarget {
    Objects.requireNonNull(id, "id");
  }

  /** The account the operator's own credentials belong to. */
  public static AccountTarget home(String id) {
    return new AccountTarget(id, null, null, null);
  }

  public boolean isHome() {
    return roleArn == null;
  }

  /** For messages: the account and, for another account, the role assumed there. */
  public String describe() {
    return isHome() ? "account " + id : "account " + id + " (role " + roleArn + ")";
  }
}
