package io.secureworkload.operator.iam;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One AWS account the operator writes roles in, with what is kept per account: the IAM calls (own
 * credentials and rate limit), what is known of its roles ({@link RoleStates}), whether the
 * cluster's OIDC provider is there ({@link IdentityProviderCheck}) and how many roles it holds
 * against its quota ({@link RoleQuota}).
 *
 * <p>Every IAM call through {@link #roles()} first makes sure the account can be reached ({@link
 * Access}): an account whose role cannot be assumed fails at once, with the STS error, instead of
 * holding a reconciler thread; and a role is created only while the quota has room for it.
 */
public final class IamAccount {

  /**
   * Whether the operator may act in the account now; throws {@link AccountUnavailableException}.
   */
  @FunctionalInterface
  public interface Access {
    void check();

    Access ALWAYS = () -> {};
  }

  private final Supplier<AccountTarget> target;
  private final IamRoles iam;
  private final IamRoles guarded;
  private final RoleStates states;
  private final Access access;
  private final Function<String, String> providerArn;
  private final String issuerUrl;
  private final int quotaSetting;
  private volatile IdentityProviderCheck identity;
  private final AtomicReference<RoleQuota> quota = new AtomicReference<>();
  private final Object firstReads = new Object();

  /**
   * @param target the account and how it is reached; read again on every use, since a policy may
   *     change the role assumed there
   * @param providerArn the cluster's OIDC provider as an account of this id names it
   * @param issuerUrl the cluster's OIDC issuer, for the command that creates a missing provider
   * @param quotaSetting the role quota to count against when the account's cannot be read
   */
  public IamAccount(
      Supplier<AccountTarget> target,
      IamRoles iam,
      RoleStates states,
      Access access,
      Function<String, String> providerArn,
      String issuerUrl,
      int quotaSetting) {
    this.target = target;
    this.iam = iam;
    this.states = states;
    this.access = access;
    this.providerArn = providerArn;
    this.issuerUrl = issuerUrl;
    this.quotaSetting = quotaSetting;
    this.identity = IdentityProviderCheck.notChecked(null);
    this.guarded = new Guarded();
  }

  public String id() {
    return target.get().id();
  }

  public AccountTarget target() {
    return target.get();
  }

  /** The account's IAM, reached only while the account can be. */
  public IamRoles roles() {
    return guarded;
  }

  public RoleStates states() {
    return states;
  }

  /** Fails at once, with the reason, when the operator cannot act in the account now. */
  public void requireAccess() {
    access.check();
  }

  /**
   * The provider as last read; read now if it never was, once: the reconciliations that start
   * together in a new account wait for that one read instead of each making it.
   */
  public IdentityProviderCheck identity() {
    var known = identity;
    if (known.state() != IdentityProviderCheck.State.NOT_CHECKED) {
      return known;
    }
    synchronized (firstReads) {
      known = identity;
      return known.state() == IdentityProviderCheck.State.NOT_CHECKED ? checkIdentity() : known;
    }
  }

  /** The provider as last read, without reading it. */
  public IdentityProviderCheck identityAsKnown() {
    return identity;
  }

  /** Refuses to go on while the provider is known to be missing, wrong, or unreadable. */
  public void requireIdentity() {
    var check = identity();
    if (check.blocks()) {
      throw new IdentityProviderException(check);
    }
  }

  /**
   * Reads the cluster's OIDC provider in the account (one GetOpenIDConnectProvider). A refusal is
   * reported as a refusal, never as a missing provider; any other failure keeps what was known.
   */
  public IdentityProviderCheck checkIdentity() {
    requireAccess();
    var providerArn = this.providerArn.apply(id());
    IdentityProviderCheck now;
    try {
      now = judge(providerArn, iam.identityProviderAudiences(providerArn));
    } catch (AwsCallException e) {
      if (e.kind() == AwsFailureKind.ACCESS_DENIED) {
        now =
            new IdentityProviderCheck(
                IdentityProviderCheck.State.ACCESS_DENIED,
                providerArn,
                "The operator may not read the cluster's OIDC provider "
                    + providerArn
                    + " in account "
                    + id()
                    + " ("
                    + e.getMessage()
                    + "); allow it iam:GetOpenIDConnectProvider on that provider"
                    + " (docs/operator-iam-policy.json)");
      } else if (identity.state() == IdentityProviderCheck.State.NOT_CHECKED) {
        now =
            new IdentityProviderCheck(
                IdentityProviderCheck.State.UNREADABLE, providerArn, e.getMessage());
      } else {
        return identity;
      }
    }
    identity = now;
    return now;
  }

  private IdentityProviderCheck judge(String providerArn, Optional<List<String>> audiences) {
    if (audiences.isEmpty()) {
      return new IdentityProviderCheck(
          IdentityProviderCheck.State.MISSING,
          providerArn,
          "The cluster's OIDC provider "
              + providerArn
              + " does not exist in account "
              + id()
              + ", so no pod could assume a role there. Create it in that account: aws iam"
              + " create-open-id-connect-provider --url "
              + issuerUrl
              + " --client-id-list "
              + IdentityProviderCheck.STS_AUDIENCE
              + " (in the cluster's own account: eksctl utils associate-iam-oidc-provider"
              + " --cluster <cluster> --approve)");
    }
    if (!audiences.get().contains(IdentityProviderCheck.STS_AUDIENCE)) {
      return new IdentityProviderCheck(
          IdentityProviderCheck.State.NO_STS_AUDIENCE,
          providerArn,
          "The cluster's OIDC provider "
              + providerArn
              + " in account "
              + id()
              + " lacks the audience "
              + IdentityProviderCheck.STS_AUDIENCE
              + ", so no pod could assume a role there. Add it: aws iam"
              + " add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "
              + providerArn
              + " --client-id "
              + IdentityProviderCheck.STS_AUDIENCE);
    }
    return new IdentityProviderCheck(IdentityProviderCheck.State.FOUND, providerArn, null);
  }

  /** The roles the account holds against its quota, as last read or counted since. */
  public Optional<RoleQuota> quota() {
    return Optional.ofNullable(quota.get());
  }

  /**
   * Reads how many roles the account holds and its quota (one GetAccountSummary); where that is
   * refused, the quota is the setting's and the count the last one known.
   */
  public RoleQuota readQuota() {
    requireAccess();
    RoleQuota read;
    try {
      read = iam.roleQuota();
    } catch (AwsCallException e) {
      if (e.kind() != AwsFailureKind.ACCESS_DENIED) {
        throw e;
      }
      var known = quota.get();
      read =
          new RoleQuota(
              known == null ? 0 : known.used(),
              quotaSetting,
              "the operator's setting SW_ROLE_QUOTA: GetAccountSummary was refused");
    }
    quota.set(read);
    return read;
  }

  private void reserveRole() {
    var known = quota.get();
    if (known == null) {
      synchronized (firstReads) {
        known = quota.get();
        if (known == null) {
          known = readQuota();
        }
      }
    }
    if (!known.roomForOneMore()) {
      throw new RoleQuotaReachedException(id(), known);
    }
  }

  private void counted(int roles) {
    quota.updateAndGet(known -> known == null ? null : known.plus(roles));
  }

  /** The account's IAM behind the access check, counting the roles it makes and deletes. */
  private final class Guarded implements IamRoles {

    @Override
    public Optional<ActualRole> find(String roleName) {
      requireAccess();
      return iam.find(roleName);
    }

    @Override
    public Optional<Map<String, String>> tags(String roleName) {
      requireAccess();
      return iam.tags(roleName);
    }

    @Override
    public ActualRole create(DesiredRole role) {
      requireAccess();
      reserveRole();
      var created = iam.create(role);
      counted(1);
      return created;
    }

    @Override
    public void apply(String roleName, RoleChange change) {
      requireAccess();
      iam.apply(roleName, change);
    }

    @Override
    public void delete(String roleName) {
      requireAccess();
      iam.delete(roleName);
      counted(-1);
    }

    @Override
    public void delete(ActualRole known) {
      requireAccess();
      iam.delete(known);
      counted(-1);
    }

    @Override
    public List<ListedRole> list(String pathPrefix) {
      requireAccess();
      return iam.list(pathPrefix);
    }

    @Override
    public List<ActualRole> snapshot(String pathPrefix) {
      requireAccess();
      return iam.snapshot(pathPrefix);
    }

    @Override
    public Optional<List<String>> identityProviderAudiences(String providerArn) {
      requireAccess();
      return iam.identityProviderAudiences(providerArn);
    }

    @Override
    public RoleQuota roleQuota() {
      requireAccess();
      return iam.roleQuota();
    }
  }
}
