package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSummaryStoreTest {

  @Test
  void keepsTheIdentityAndTheOneConditionOfAWorkloadAndNothingElse() {
    var store = new WorkloadSummaryStore(StatusAggregator.GUARDRAIL_COMPLIANT);
    var workload =
        TestWorkloads.workload(
            "api",
            """
            selector: {matchLabels: {app: api}}
            iam:
              statements: [{actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"]}]
            """);
    workload.getMetadata().setNamespace("payments");
    workload.getMetadata().setUid("uid-1");
    workload.getMetadata().setResourceVersion("42");
    var status = new SecureWorkloadStatus();
    status.setRoleArn("arn:aws:iam::123456789012:role/x");
    status.setConditions(
        List.of(
            new Condition("Ready", Condition.TRUE, "Ready", "all parts", "t", 1L),
            new Condition(
                StatusAggregator.GUARDRAIL_COMPLIANT,
                Condition.FALSE,
                "GuardrailViolation",
                "m",
                "t",
                1L)));
    workload.setStatus(status);

    String key = store.getKey(workload);
    store.put(key, workload);

    var kept = store.get("payments/api");
    assertThat(key).isEqualTo("payments/api");
    assertThat(kept.getMetadata().getName()).isEqualTo("api");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("payments");
    assertThat(kept.getMetadata().getUid()).isEqualTo("uid-1");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getSpec()).isNull();
    assertThat(kept.getStatus().getRoleArn()).isNull();
    assertThat(kept.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly(StatusAggregator.GUARDRAIL_COMPLIANT);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.remove(key)).isSameAs(kept);
    assertThat(store.values()).isEmpty();
  }
}
