package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.testsupport.FakeIamRoles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One account's gate in front of IAM: reachability first, then the cluster's OIDC provider as it is
 * (found, missing, without the STS audience, unreadable, refused) and the role quota.
 */
class IamAccountTest {

  private static final String ACCOUNT = "222222222222";
  private static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC";
  private static final String PROVIDER =
      "arn:aws:iam::" + ACCOUNT + ":oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";

  private final FakeIamRoles iam = new FakeIamRoles(ACCOUNT);
  private final AtomicReference<String> unreachable = new AtomicReference<>();
  private final AccountTarget target =
      new AccountTarget(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/operator", null, null);
  private final IamAccount account =
      new IamAccount(
          () -> target,
          iam,
          new RoleStates(Duration.ofHours(1)),
          () -> {
            if (unreachable.get() != null) {
              throw new AccountUnavailableException(target, unreachable.get(), null);
            }
          },
          id -> "arn:aws:iam::" + id + ":oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
          ISSUER,
          5);

  @Test
  void anAccountThatCannotBeReachedFailsEveryCallBeforeIamIsAsked() {
    unreachable.set("sts:AssumeRole failed: AccessDenied: not authorized");

    assertThatThrownBy(() -> account.roles().find("any"))
        .isInstanceOf(AccountUnavailableException.class)
        .hasMessageContaining(ACCOUNT)
        .hasMessageContaining("arn:aws:iam::" + ACCOUNT + ":role/operator")
        .hasMessageContaining("AccessDenied");
    assertThatThrownBy(() -> account.roles().create(role("api")))
        .isInstanceOf(AccountUnavailableException.class);
    assertThatThrownBy(account::checkIdentity).isInstanceOf(AccountUnavailableException.class);
    assertThat(iam.operations()).isEmpty();
  }

  @Test
  void aProviderWithTheStsAudienceIsUsable() {
    assertThat(account.identity().state()).isEqualTo(IdentityProviderCheck.State.FOUND);
    account.requireIdentity();
  }

  @Test
  void aMissingProviderBlocksWithTheCommandThatCreatesIt() {
    iam.setProviderMissing(PROVIDER, true);

    var check = account.checkIdentity();

    assertThat(check.state()).isEqualTo(IdentityProviderCheck.State.MISSING);
    assertThat(check.problem())
        .contains(PROVIDER)
        .contains("does not exist in account " + ACCOUNT)
        .contains(
            "aws iam create-open-id-connect-provider --url "
                + ISSUER
                + " --client-id-list sts.amazonaws.com");
    assertThatThrownBy(account::requireIdentity).isInstanceOf(IdentityProviderException.class);
  }

  @Test
  void aProviderWithoutTheStsAudienceBlocksWithTheCommandThatAddsIt() {
    iam.setProviderAudiences(PROVIDER, List.of("some-other-client"));

    var check = account.checkIdentity();

    assertThat(check.state()).isEqualTo(IdentityProviderCheck.State.NO_STS_AUDIENCE);
    assertThat(check.problem())
        .contains("lacks the audience sts.amazonaws.com")
        .contains("add-client-id-to-open-id-connect-provider");
    assertThat(check.blocks()).isTrue();
  }

  @Test
  void aRefusedReadIsReportedAsARefusalNeverAsAMissingProvider() {
    iam.failWith("GetOpenIDConnectProvider", "AccessDenied", false);

    var check = account.checkIdentity();

    assertThat(check.state()).isEqualTo(IdentityProviderCheck.State.ACCESS_DENIED);
    assertThat(check.problem())
        .contains("may not read")
        .contains("iam:GetOpenIDConnectProvider")
        .doesNotContain("does not exist");
    assertThat(check.blocks()).isTrue();
  }

  @Test
  void aFailedReadKeepsWhatWasKnownAndBlocksNothingWhenNothingWas() {
    iam.failWith("GetOpenIDConnectProvider", "Throttling", true);
    assertThat(account.checkIdentity().state()).isEqualTo(IdentityProviderCheck.State.UNREADABLE);
    assertThat(account.identityAsKnown().blocks()).isFalse();

    iam.heal();
    iam.setProviderMissing(PROVIDER, true);
    account.checkIdentity();
    iam.failWith("GetOpenIDConnectProvider", "Throttling", true);

    assertThat(account.checkIdentity().state()).isEqualTo(IdentityProviderCheck.State.MISSING);
  }

  @Test
  void theProviderComingBackIsSeenByTheNextCheck() {
    iam.setProviderMissing(PROVIDER, true);
    assertThat(account.checkIdentity().blocks()).isTrue();

    iam.setProviderMissing(PROVIDER, false);

    assertThat(account.checkIdentity().state()).isEqualTo(IdentityProviderCheck.State.FOUND);
    account.requireIdentity();
  }

  @Test
  void aRoleThatWouldPassTheQuotaIsNotMadeAndDeletionsMakeRoomAgain() {
    iam.setRoleQuota(2);
    account.roles().create(role("one"));
    account.roles().create(role("two"));

    assertThatThrownBy(() -> account.roles().create(role("three")))
        .isInstanceOf(RoleQuotaReachedException.class)
        .hasMessageContaining("Account " + ACCOUNT + " holds 2 IAM roles of its quota of 2");
    assertThat(iam.role("three")).isEmpty();
    assertThat(account.quota()).contains(new RoleQuota(2, 2, "GetAccountSummary"));

    account.roles().delete("one");
    account.roles().create(role("three"));
    assertThat(iam.role("three")).isPresent();
  }

  @Test
  void reconciliationsStartingTogetherInANewAccountReadTheProviderAndTheQuotaOnce()
      throws Exception {
    var slowIam = new FakeIamRoles(ACCOUNT);
    slowIam.delayAccountReads(Duration.ofMillis(50));
    var shared =
        new IamAccount(
            () -> target,
            slowIam,
            new RoleStates(Duration.ofHours(1)),
            IamAccount.Access.ALWAYS,
            id -> PROVIDER,
            ISSUER,
            5);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  shared.requireIdentity();
                  shared.roles().create(role("role-" + n));
                }));
      }
      for (var future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(slowIam.accountReads())
        .as("GetOpenIDConnectProvider and GetAccountSummary, once each")
        .isEqualTo(2);
    assertThat(shared.quota()).hasValueSatisfying(q -> assertThat(q.used()).isEqualTo(8));
  }

  @Test
  void aRefusedSummaryCountsAgainstTheSetting() {
    iam.failWith("GetAccountSummary", "AccessDenied", false);

    var quota = account.readQuota();

    assertThat(quota.limit()).isEqualTo(5);
    assertThat(quota.source()).contains("SW_ROLE_QUOTA").contains("refused");
  }

  private static DesiredRole role(String name) {
    return new DesiredRole(
        name,
        "/secureworkload/",
        "test",
        "{}",
        null,
        Set.of(),
        3600,
        null,
        Map.of("secureworkload.io/managed-by", "secure-workload-operator"));
  }
}
