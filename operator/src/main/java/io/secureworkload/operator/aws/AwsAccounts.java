package io.secureworkload.operator.aws;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.RoleQuota;
import io.secureworkload.operator.iam.RoleStates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * {@link IamAccounts} on AWS. The operator's own account uses its own credentials; every other
 * account gets, on first use, an STS client of its own (with the STS timeout), the refreshing
 * AssumeRole credentials of the role its policy names ({@link AssumedRoleAccess}), an IAM client on
 * those credentials, its own rate limiter ({@code SW_ACCOUNT_IAM_REQUESTS_PER_SECOND}, else {@code
 * SW_IAM_REQUESTS_PER_SECOND}) and its own {@link RoleStates}. Every call is counted with the
 * account it acts in, and the roles each account holds against its quota are gauges.
 */
public final class AwsAccounts implements IamAccounts {

  /** Roles an account holds, everyone's, as GetAccountSummary last said or counted since. */
  public static final String ROLES_GAUGE = "secureworkload.account.roles";

  /** The account's role quota. */
  public static final String QUOTA_GAUGE = "secureworkload.account.roles.quota";

  private final OperatorSettings settings;
  private final AwsCredentialsProvider credentials;
  private final MeterRegistry registry;
  private final Supplier<RoleStates> newRoleStates;
  private final AwsAccount homeId;
  private final IamAccount home;
  private final ConcurrentMap<String, Entry> others = new ConcurrentHashMap<>();
  private volatile Function<AccountTarget, Optional<String>> externalIds =
      target -> {
        throw new IllegalStateException(
            "the external id Secret " + target.externalIdSecret() + " cannot be read yet");
      };

  private volatile boolean homeGauges;

  private record Entry(AtomicReference<AccountTarget> target, IamAccount account) {}

  public AwsAccounts(
      OperatorSettings settings,
      AwsCredentialsProvider credentials,
      MeterRegistry registry,
      Supplier<RoleStates> newRoleStates) {
    this.settings = settings;
    this.credentials = credentials;
    this.registry = registry;
    this.newRoleStates = newRoleStates;
    Supplier<String> homeLabel = () -> homeIdOrUnknown();
    var stsCalls = AwsCalls.unlimited(registry).inAccount(homeLabel);
    this.homeId = new AwsAccount(AwsClients.sts(settings, credentials, stsCalls), stsCalls);
    var iamCalls =
        AwsCalls.limitedTo(new RateLimiter(settings.iamRequestsPerSecond()), registry)
            .inAccount(homeLabel);
    this.home =
        account(
            () -> AccountTarget.home(homeId.get()),
            new AwsIamRoles(AwsClients.iam(settings, credentials, iamCalls), iamCalls),
            IamAccount.Access.ALWAYS);
  }

  /**
   * Where the external ids come from: the Secrets of the operator's namespace, readable once the
   * operator has its Kubernetes client.
   */
  public void readExternalIdsWith(Function<AccountTarget, Optional<String>> externalIds) {
    this.externalIds = externalIds;
  }

  /** The operator's own account id, asked of STS once. */
  public Supplier<String> homeAccountId() {
    return homeId;
  }

  @Override
  public IamAccount home() {
    return home;
  }

  /** The home account's gauges carry its id, known only once STS has been asked. */
  private void homeGaugesOnceKnown() {
    if (!homeGauges && homeId.known().isPresent()) {
      synchronized (this) {
        if (!homeGauges) {
          gauges(homeId::get, home);
          homeGauges = true;
        }
      }
    }
  }

  @Override
  public IamAccount of(AccountTarget target) {
    homeGaugesOnceKnown();
    if (target.isHome()) {
      return home;
    }
    var entry = others.computeIfAbsent(target.id(), id -> newAccount(target));
    entry.target().set(target);
    return entry.account();
  }

  @Override
  public Optional<IamAccount> known(String accountId) {
    if (accountId.equals(homeId.get())) {
      return Optional.of(home);
    }
    return Optional.ofNullable(others.get(accountId)).map(Entry::account);
  }

  @Override
  public Collection<IamAccount> all() {
    homeGaugesOnceKnown();
    var all = new ArrayList<IamAccount>();
    all.add(home);
    others.values().forEach(entry -> all.add(entry.account()));
    return all;
  }

  private Entry newAccount(AccountTarget first) {
    var target = new AtomicReference<>(first);
    Supplier<String> label = first::id;
    var sts =
        AwsClients.stsWithTimeout(
            settings,
            credentials,
            AwsCalls.unlimited(registry).inAccount(label),
            settings.stsTimeout());
    var access =
        new AssumedRoleAccess(
            sts,
            target::get,
            t -> t.externalIdSecret() == null ? Optional.empty() : externalIds.apply(t),
            sessionName(),
            System::nanoTime);
    var iamCalls =
        AwsCalls.limitedTo(new RateLimiter(settings.iamRequestsPerSecond(first.id())), registry)
            .inAccount(label);
    var account =
        account(
            target::get,
            new AwsIamRoles(AwsClients.iam(settings, access, iamCalls), iamCalls),
            access);
    gauges(label, account);
    return new Entry(target, account);
  }

  private IamAccount account(
      Supplier<AccountTarget> target, AwsIamRoles roles, IamAccount.Access access) {
    return new IamAccount(
        target,
        roles,
        newRoleStates.get(),
        access,
        id -> Arns.oidcProvider(settings.partition(), id, settings.oidcProviderHostPath()),
        settings.oidcIssuerUrl().toString(),
        settings.roleQuota());
  }

  /** Who acts, in the target account's CloudTrail: this operator, in this cluster. */
  private String sessionName() {
    var name = "secureworkload-" + settings.clusterName();
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  private String homeIdOrUnknown() {
    return homeId.known().orElse(AwsCalls.ACCOUNT_NOT_KNOWN_YET);
  }

  private void gauges(Supplier<String> label, IamAccount account) {
    Gauge.builder(ROLES_GAUGE, account, a -> a.quota().map(RoleQuota::used).orElse(-1))
        .description("IAM roles in the account, everyone's (-1 until read)")
        .tag("account", label.get())
        .register(registry);
    Gauge.builder(QUOTA_GAUGE, account, a -> a.quota().map(RoleQuota::limit).orElse(-1))
        .description("The account's IAM role quota (-1 until read)")
        .tag("account", label.get())
        .register(registry);
  }
}
