package io.secureworkload.operator.iam;

/**
 * How many roles an account holds against its quota.
 *
 * @param used roles in the account, everyone's
 * @param limit the quota
 * @param source where the quota came from: GetAccountSummary, or the setting when it cannot be read
 */
public record RoleQuota(int used, int limit, String source) {

  public boolean roomForOneMore() {
    return used + 1 <= limit;
  }

  public RoleQuota plus(int roles) {
    return new RoleQuota(Math.max(0, used + roles), limit, source);
  }
}
