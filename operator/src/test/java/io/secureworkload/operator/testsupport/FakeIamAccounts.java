package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.RoleStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts in memory for unit tests: the home account {@link FakeIamRoles#ACCOUNT} on the IAM it is
 * given, and each other account on a {@link FakeIamRoles} of its own, made on first use. An account
 * can be made unreachable, as one whose role cannot be assumed is.
 */
public final class FakeIamAccounts implements IamAccounts {

  public static final String ISSUER = "https://oidc.example.com/id/TEST";

  private final String partition;
  private final String issuerHostPath;
  private final IamAccount home;
  private final Map<String, FakeIamRoles> iamByAccount = new ConcurrentHashMap<>();
  private final Map<String, IamAccount> others = new ConcurrentHashMap<>();
  private final Map<String, String> unreachable = new ConcurrentHashMap<>();

  public FakeIamAccounts(FakeIamRoles homeIam, RoleStates homeStates, String issuerHostPath) {
    this.partition = "aws";
    this.issuerHostPath = issuerHostPath;
    iamByAccount.put(FakeIamRoles.ACCOUNT, homeIam);
    this.home = account(AccountTarget.home(FakeIamRoles.ACCOUNT), homeIam, homeStates);
  }

  public FakeIamAccounts(FakeIamRoles homeIam, String issuerHostPath) {
    this(homeIam, new RoleStates(Duration.ofHours(1)), issuerHostPath);
  }

  /** The IAM of this account, as its workloads' roles are made in it. */
  public FakeIamRoles iam(String accountId) {
    return iamByAccount.computeIfAbsent(accountId, FakeIamRoles::new);
  }

  /** Every call into the account fails as an AssumeRole refused with this problem would. */
  public void makeUnreachable(String accountId, String problem) {
    unreachable.put(accountId, problem);
  }

  /** The account can be reached again, as once the role it assumes there is fixed. */
  public void makeReachable(String accountId) {
    unreachable.remove(accountId);
  }

  @Override
  public IamAccount home() {
    return home;
  }

  @Override
  public IamAccount of(AccountTarget target) {
    if (target.isHome()) {
      return home;
    }
    return others.computeIfAbsent(
        target.id(), id -> account(target, iam(id), new RoleStates(Duration.ofHours(1))));
  }

  @Override
  public Optional<IamAccount> known(String accountId) {
    if (FakeIamRoles.ACCOUNT.equals(accountId)) {
      return Optional.of(home);
    }
    return Optional.ofNullable(others.get(accountId));
  }

  @Override
  public Collection<IamAccount> all() {
    var all = new ArrayList<IamAccount>();
    all.add(home);
    all.addAll(others.values());
    return all;
  }

  private IamAccount account(AccountTarget target, FakeIamRoles iam, RoleStates states) {
    return new IamAccount(
        () -> target,
        iam,
        states,
        () -> {
          var problem = unreachable.get(target.id());
          if (problem != null) {
            throw new io.secureworkload.operator.iam.AccountUnavailableException(
                target, problem, null);
          }
        },
        id -> Arns.oidcProvider(partition, id, issuerHostPath),
        ISSUER,
        1000);
  }
}
