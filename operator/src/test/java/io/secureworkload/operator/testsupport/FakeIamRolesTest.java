package io.secureworkload.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.RoleChange;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fake behaves as IAM does where the operator's deletion depends on it. */
class FakeIamRolesTest {

  private static final String ROLE = "sw-prod-payments-api";

  private final FakeIamRoles iam = new FakeIamRoles();

  @Test
  void aRoleInAnInstanceProfileLeavesItOnDeletionAndTheProfileStays() {
    create(ROLE);
    iam.addToInstanceProfile("ec2-profile", ROLE);

    iam.delete(ROLE);

    assertThat(iam.role(ROLE)).isEmpty();
    assertThat(iam.instanceProfile("ec2-profile")).contains(Set.of());
    assertThat(iam.operations())
        .containsSubsequence(
            "ListInstanceProfilesForRole", "RemoveRoleFromInstanceProfile", "DeleteRole");
  }

  @Test
  void deleteRoleRefusesARoleStillInAnInstanceProfileAsIamDoes() {
    create(ROLE);
    iam.addToInstanceProfile("ec2-profile", ROLE);
    iam.failWith("RemoveRoleFromInstanceProfile", "AccessDenied", false);

    assertThatThrownBy(() -> iam.delete(ROLE))
        .isInstanceOfSatisfying(
            AwsCallException.class, e -> assertThat(e.errorCode()).isEqualTo("AccessDenied"));
    assertThat(iam.role(ROLE)).isPresent();
    assertThat(iam.instanceProfile("ec2-profile")).contains(Set.of(ROLE));
  }

  @Test
  void anInstanceProfileHoldsOneRole() {
    create(ROLE);
    create("other");
    iam.addToInstanceProfile("ec2-profile", ROLE);

    assertThatThrownBy(() -> iam.addToInstanceProfile("ec2-profile", "other"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(iam.instanceProfile("missing")).isEmpty();
  }

  @Test
  void deletionRemovesPoliciesAddedByHand() {
    create(ROLE);
    iam.apply(ROLE, new RoleChange.PutInlinePolicy("by-hand", "{}"));
    iam.apply(ROLE, new RoleChange.AttachManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"));

    iam.delete(ROLE);

    assertThat(iam.role(ROLE)).isEmpty();
  }

  @Test
  void deletingARoleThatIsGoneIsOneLookAndDone() {
    iam.delete(ROLE);

    assertThat(iam.operations()).containsExactly("ListInstanceProfilesForRole");
  }

  @Test
  void aRecreatedRoleGetsANewUniqueId() {
    create(ROLE);
    var first = iam.roleId(ROLE).orElseThrow();
    iam.remove(ROLE);

    create(ROLE);

    assertThat(iam.roleId(ROLE)).isPresent().get().isNotEqualTo(first);
  }

  @Test
  void listingIsOneCallPerThousandRolesUnderThePath() {
    for (int i = 0; i < 1001; i++) {
      create("r" + i);
    }
    iam.clearOperations();

    assertThat(iam.list("/secureworkload/")).hasSize(1001);
    assertThat(iam.operations()).containsExactly("ListRoles", "ListRoles");
    assertThat(iam.list("/elsewhere/")).isEmpty();
  }

  private void create(String name) {
    iam.create(
        new DesiredRole(
            name,
            "/secureworkload/",
            "test",
            "{}",
            null,
            Set.of(),
            3600,
            null,
            Map.of("secureworkload.io/managed-by", "secure-workload-operator")));
  }
}
