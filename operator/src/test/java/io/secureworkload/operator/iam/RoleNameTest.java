package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleNameTest {

  @Test
  void shortNameIsPrefixClusterNamespaceAndName() {
    assertThat(RoleName.derive("sw-", "prod", "payments", "api")).isEqualTo("sw-prod-payments-api");
  }

  @Test
  void nameOfExactlyTheLimitIsKept() {
    var name = "n".repeat(64 - "sw-prod-payments-".length());

    var derived = RoleName.derive("sw-", "prod", "payments", name);

    assertThat(derived).hasSize(64).isEqualTo("sw-prod-payments-" + name);
  }

  @Test
  void longerNameIsCutToTheLimitAndEndsWithAnEightHexHash() {
    var name = "n".repeat(65 - "sw-prod-payments-".length());

    var derived = RoleName.derive("sw-", "prod", "payments", name);

    assertThat(derived).hasSize(RoleName.MAX_LENGTH).matches(".*-[0-9a-f]{8}");
    assertThat(derived).startsWith("sw-prod-payments-nnnn");
  }

  @Test
  void longNamesSharingTheFirst64CharactersStayDistinct() {
    var common = "n".repeat(80);

    var first = RoleName.derive("sw-", "prod", "payments", common + "-reader");
    var second = RoleName.derive("sw-", "prod", "payments", common + "-writer");

    assertThat(first).hasSize(64);
    assertThat(second).hasSize(64);
    assertThat(first).isNotEqualTo(second);
    assertThat(first.substring(0, 55)).isEqualTo(second.substring(0, 55));
  }

  @Test
  void derivationIsDeterministic() {
    var name = "a-very-long-workload-name-that-does-not-fit-into-an-iam-role-name";

    assertThat(RoleName.derive("sw-", "prod", "payments", name))
        .isEqualTo(RoleName.derive("sw-", "prod", "payments", name));
  }

  @Test
  void noDashOrDotIsLeftBeforeTheHashWhereTheCutFallsOnOne() {
    var prefix = "sw-prod-payments-";
    var name = "a".repeat(55 - prefix.length() - 2) + "-.-" + "b".repeat(20);

    var derived = RoleName.derive("sw-", "prod", "payments", name);

    assertThat(derived).doesNotContain("--").doesNotContain(".-");
    assertThat(derived).matches("sw-prod-payments-a+-[0-9a-f]{8}");
  }
}
