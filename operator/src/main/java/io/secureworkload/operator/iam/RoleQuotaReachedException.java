package io.secureworkload.operator.iam;

/** A new role would take the account past its role quota: no role is made. */
public final class RoleQuotaReachedException extends RuntimeException {

  public RoleQuotaReachedException(String accountId, RoleQuota quota) {
    super(
        "Account "
            + accountId
            + " holds "
            + quota.used()
            + " IAM roles of its quota of "
            + quota.limit()
            + " ("
            + quota.source()
            + "): a new role would pass it, so none is made. Delete unused roles or raise the"
            + " quota (Service Quotas: IAM, Roles per account).");
  }
}
