package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.dependent.WorkloadChanges.Kind;
import io.secureworkload.operator.testsupport.TestContexts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one reconciliation's changes read in its single Event. */
class WorkloadChangesTest {

  private static final List<String> ORDER =
      List.of("iam-role", "service-account", "default-deny", "ingress", "egress");

  private final WorkloadChanges changes = fresh();

  private static WorkloadChanges fresh() {
    return WorkloadChanges.startIn(
        TestContexts.withWorkflow(mock(ManagedWorkflowAndDependentResourceContext.class)));
  }

  @Test
  void changesOfOneKindAreOneSentenceInTheWorkflowsOrder() {
    changes.add(Kind.REPAIRED, "egress", "NetworkPolicy shop-egress", null);
    changes.add(Kind.REPAIRED, "ingress", "NetworkPolicy shop-ingress", null);

    assertThat(changes.describe(ORDER))
        .isEqualTo(
            "Repaired changes made outside the operator to NetworkPolicy shop-ingress,"
                + " NetworkPolicy shop-egress.");
  }

  @Test
  void repairsComeFirstThenCreationsUpdatesAndDeletionsWithTheirDetails() {
    changes.add(Kind.DELETED, "default-deny", "NetworkPolicy shop-default-deny", null);
    changes.add(Kind.UPDATED, "iam-role", "IAM role shop", "PutRolePolicy");
    changes.add(Kind.CREATED, "egress", "NetworkPolicy shop-egress", null);
    changes.add(Kind.REPAIRED, "service-account", "ServiceAccount shop", null);

    assertThat(changes.describe(ORDER))
        .isEqualTo(
            "Repaired changes made outside the operator to ServiceAccount shop."
                + " Created NetworkPolicy shop-egress."
                + " Updated IAM role shop (PutRolePolicy)."
                + " Deleted, as the spec no longer asks for them: NetworkPolicy shop-default-deny.");
  }

  @Test
  void whatWasCreatedCanBeLeftOut() {
    changes.add(Kind.CREATED, "iam-role", "IAM role shop", null);
    changes.add(Kind.UPDATED, "service-account", "ServiceAccount shop", null);

    var rest = changes.except(Kind.CREATED);

    assertThat(rest.describe(ORDER)).isEqualTo("Updated ServiceAccount shop.");
    assertThat(rest.any(Kind.CREATED)).isFalse();
    assertThat(changes.any(Kind.CREATED)).isTrue();
    assertThat(fresh().isEmpty()).isTrue();
  }
}
