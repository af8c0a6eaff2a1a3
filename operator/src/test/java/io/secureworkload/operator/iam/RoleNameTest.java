package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class RoleNameTest {

  @Test
  void shortNameIsPrefixClusterNamespaceAndNameJoinedByDots() {
    assertThat(RoleName.derive("sw-", "prod", "payments", "api")).isEqualTo("sw-prod.payments.api");
  }

  @Test
  void joinedNamesThatOnceCollidedStayApart() {
    // Namespace team / name payments-api and namespace team-payments / name api.
    assertThat(RoleName.derive("sw-", "c", "team", "payments-api"))
        .isNotEqualTo(RoleName.derive("sw-", "c", "team-payments", "api"));
    // A cluster name with a dash against a namespace that starts with its tail.
    assertThat(RoleName.derive("sw-", "a-b", "x", "api"))
        .isNotEqualTo(RoleName.derive("sw-", "a", "b-x", "api"));
  }

  @Test
  void everySplitOfOneStringGivesADistinctName() {
    var names = new HashSet<String>();
    var parts = "ab-cd-ef-gh";
    int splits = 0;
    for (int i = 1; i < parts.length() - 1; i++) {
      for (int j = i + 1; j < parts.length(); j++) {
        splits++;
        names.add(
            RoleName.derive(
                "sw-", parts.substring(0, i), parts.substring(i, j), parts.substring(j)));
      }
    }
    assertThat(names).hasSize(splits);
  }

  @Test
  void nameOfExactlyTheLimitIsKept() {
    var name = "n".repeat(64 - "sw-c.ns.".length());

    assertThat(RoleName.derive("sw-", "c", "ns", name)).hasSize(64).endsWith(name);
  }

  @Test
  void longerNameIsCutAndMarkedWithAnAtAndATwelveHexHash() {
    var derived = RoleName.derive("sw-", "prod", "payments", "x".repeat(80));

    assertThat(derived).hasSize(RoleName.MAX_LENGTH).matches(".*@[0-9a-f]{12}$");
  }

  @Test
  void aCutNameCannotBeTheUncutNameOfAnotherWorkload() {
    var cut = RoleName.derive("sw-", "prod", "payments", "x".repeat(80));
    // Whoever picks a name that spells the cut one gets a name without the mark, or a cut one
    // with another hash: no SecureWorkload name holds an @.
    var lookalike = cut.substring("sw-prod.payments.".length()).replace('@', '-');

    assertThat(RoleName.derive("sw-", "prod", "payments", lookalike)).isNotEqualTo(cut);
  }

  @Test
  void longNamesSharingTheFirst64CharactersStayDistinct() {
    var common = "y".repeat(70);

    assertThat(RoleName.derive("sw-", "prod", "payments", common + "a"))
        .isNotEqualTo(RoleName.derive("sw-", "prod", "payments", common + "b"));
  }

  @Test
  void theEarlierNameJoinedByDashesAndCutWithAnEightHexHash() {
    assertThat(RoleName.deriveLegacy("sw-", "prod", "payments", "api"))
        .isEqualTo("sw-prod-payments-api");
    assertThat(RoleName.deriveLegacy("sw-", "prod", "payments", "x".repeat(80)))
        .hasSize(RoleName.MAX_LENGTH)
        .matches(".*-[0-9a-f]{8}$");
  }
}
