package io.secureworkload.operator.iam;

import static io.secureworkload.operator.iam.RoleSyncTest.NAME;
import static io.secureworkload.operator.iam.RoleSyncTest.OURS;
import static io.secureworkload.operator.iam.RoleSyncTest.OWNED;
import static io.secureworkload.operator.iam.RoleSyncTest.READ;
import static io.secureworkload.operator.iam.RoleSyncTest.desired;
import static io.secureworkload.operator.iam.RoleSyncTest.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.FakeIamRoles;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role's deletion on IAM in memory, with no Kubernetes: ownership first, then the calls. */
class RoleDeletionTest {

  private final FakeIamRoles iam = new FakeIamRoles();
  private final RoleStates states = new RoleStates(Duration.ofHours(1));
  private final RoleDeletion deletion = new RoleDeletion(iam, states);

  @Test
  void aKnownRoleIsDeletedFromWhatIsKnownWithoutAReadFirst() {
    new RoleSync(iam, states).sync(desired(READ), OWNED, false);
    iam.clearOperations();

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.DELETED);
    assertThat(iam.operations()).containsExactly("DeleteRolePolicy", "DeleteRole");
    assertThat(iam.role(NAME)).isEmpty();
  }

  @Test
  void afterARestartOnlyTheTagsAreRead() {
    iam.put(role(READ, OURS));

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.DELETED);
    assertThat(iam.operations()).containsExactly("GetRole", "DeleteRolePolicy", "DeleteRole");
  }

  @Test
  void aRoleThatIsNotOursStays() {
    iam.put(role(READ, Map.of("team", "other")));

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.NOT_OWNED);
    assertThat(iam.role(NAME)).isPresent();
  }

  @Test
  void aRoleAlreadyGoneIsDone() {
    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.ALREADY_GONE);
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void retainTagsOurRoleOnceAndLeavesAnotherUntagged() {
    iam.put(role(READ, OURS));

    assertThat(deletion.retain(NAME, OWNED)).isEqualTo(RoleDeletion.Result.RETAINED);
    assertThat(deletion.retain(NAME, OWNED)).isEqualTo(RoleDeletion.Result.RETAINED);

    assertThat(iam.role(NAME).orElseThrow().tags())
        .containsEntry(WorkloadRole.TAG_RETAINED, "true");
    assertThat(iam.operations()).containsExactly("GetRole", "TagRole", "GetRole");
    iam.put(role(READ, Map.of("team", "other")));
    deletion.retain(NAME, OWNED);
    assertThat(iam.role(NAME).orElseThrow().tags()).doesNotContainKey(WorkloadRole.TAG_RETAINED);
  }
}
