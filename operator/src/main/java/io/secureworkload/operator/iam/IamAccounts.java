package io.secureworkload.operator.iam;

import java.util.Collection;

/**
 * The AWS accounts the operator writes roles in: its own, and those the guardrail policies map
 * namespaces to. Each is reached with its own credentials, rate limit and knowledge of its roles
 * ({@link IamAccount}); one account that cannot be reached holds up no other.
 */
public interface IamAccounts {

  /** The operator's own account. */
  IamAccount home();

  /**
   * The account a workload's role lives in, set up on first use. A target naming the home account's
   * id with no role to assume is the home account.
   */
  IamAccount of(AccountTarget target);

  /** The account of this id if it was set up, the home account included. */
  java.util.Optional<IamAccount> known(String accountId);

  /** Every account set up so far, the home account first: what the sweeps go through. */
  Collection<IamAccount> all();
}
