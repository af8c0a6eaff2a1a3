package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.api.IdentityMode.IRSA;
import static io.secureworkload.operator.api.IdentityMode.PodIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.IdentityStatus;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A switch between IRSA and Pod Identity, step by step: at every step some identity that the role's
 * trust admits is in place for the pods created then, and what the switch replaced goes only once
 * no older pod runs or the grace period passed.
 */
class IdentitySwitchTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration GRACE = Duration.ofHours(12);

  private final List<Pod> pods = new ArrayList<>();
  private Instant now = T0;
  private final IdentitySwitch identitySwitch =
      new IdentitySwitch(
          null,
          (context, namespace, serviceAccount) -> List.copyOf(pods),
          GRACE,
          Clock.fixed(T0, ZoneOffset.UTC));
  private final SecureWorkload workload = TestWorkloads.minimal();

  @Test
  void aNewWorkloadGetsItsModeAtOnce() {
    var irsa = plan(IRSA);
    assertThat(irsa.trusted()).containsExactly(IRSA);
    assertThat(irsa.annotate()).isTrue();
    assertThat(irsa.associate()).isFalse();

    var podIdentity = plan(PodIdentity);
    assertThat(podIdentity.trusted()).containsExactly(PodIdentity);
    assertThat(podIdentity.annotate()).isFalse();
    assertThat(podIdentity.associate()).isTrue();
    assertThat(podIdentity.mountMode()).isEqualTo(PodIdentity);
    assertThat(podIdentity.status(true, "a-1", null, now).getMode()).isEqualTo(PodIdentity);
  }

  @Test
  void aWorkloadMadeBeforeModesExistedIsIrsaAndStaysWithoutAnyEksCall() {
    var status = new SecureWorkloadStatus();
    status.setRoleArn("arn:aws:iam::123456789012:role/secureworkload/api");
    workload.setStatus(status);

    var plan = plan(IRSA);

    assertThat(plan.trusted()).containsExactly(IRSA);
    assertThat(plan.associate()).isFalse();
    assertThat(plan.recheckAfter()).isNull();
    assertThat(plan.status(true, null, null, now))
        .isEqualTo(IdentityStatus.builder().mode(IRSA).trusted(List.of(IRSA)).build());
  }

  @Test
  void irsaToPodIdentityTrustsBothMakesTheAssociationThenDropsIrsaOnceOlderPodsAreGone() {
    steady(IRSA);
    pods.add(pod("old", T0.minusSeconds(60)));

    var first = plan(PodIdentity);
    assertThat(first.trusted()).containsExactlyInAnyOrder(IRSA, PodIdentity);
    assertThat(first.annotate()).as("the old identity stays").isTrue();
    assertThat(first.associate()).as("the new identity is made").isTrue();
    assertThat(first.mountMode()).as("mounts keep the mode pods have").isEqualTo(IRSA);
    assertThat(first.recheckAfter()).isEqualTo(IdentitySwitch.NEXT_STEP);
    var switched = first.status(true, "a-1", workload.getStatus().getIdentity(), now);
    assertThat(switched.getMode()).isEqualTo(PodIdentity);
    assertThat(switched.getPreviousMode()).isEqualTo(IRSA);
    assertThat(switched.getSwitchedAt()).isEqualTo(now.toString());
    assertThat(switched.getAssociationId()).isEqualTo("a-1");
    workload.getStatus().setIdentity(switched);

    var waiting = plan(PodIdentity);
    assertThat(waiting.trusted()).containsExactlyInAnyOrder(IRSA, PodIdentity);
    assertThat(waiting.annotate()).isTrue();
    assertThat(waiting.mountMode()).isEqualTo(PodIdentity);
    assertThat(waiting.recheckAfter()).isEqualTo(PodsBeforeSwitch.LONGEST_WAIT);

    pods.clear();
    pods.add(pod("new", T0.plusSeconds(5)));
    var done = plan(PodIdentity);
    assertThat(done.trusted()).containsExactly(PodIdentity);
    assertThat(done.annotate()).isFalse();
    assertThat(done.associate()).isTrue();
    var status = done.status(true, "a-1", workload.getStatus().getIdentity(), now);
    assertThat(status.getPreviousMode()).isNull();
    assertThat(status.getSwitchedAt()).isNull();
    assertThat(status.getTrusted()).containsExactly(PodIdentity);
  }

  @Test
  void aFailedAssociationLeavesPodsOnIrsa() {
    steady(IRSA);

    var status = plan(PodIdentity).status(true, null, workload.getStatus().getIdentity(), now);

    assertThat(status.getMode()).isEqualTo(IRSA);
    assertThat(status.getPreviousMode()).isNull();
    assertThat(status.getTrusted()).containsExactly(IRSA, PodIdentity);
  }

  @Test
  void podIdentityToIrsaAnnotatesOnlyOnceTheTrustAdmitsIrsa() {
    steady(PodIdentity);

    var first = plan(IRSA);
    assertThat(first.trusted()).containsExactlyInAnyOrder(IRSA, PodIdentity);
    assertThat(first.annotate())
        .as("the ServiceAccount is settled before the role: not until the trust admits IRSA")
        .isFalse();
    assertThat(first.associate()).isTrue();
    var widened = first.status(true, "a-1", workload.getStatus().getIdentity(), now);
    assertThat(widened.getMode()).isEqualTo(PodIdentity);
    assertThat(widened.getTrusted()).containsExactly(IRSA, PodIdentity);
    workload.getStatus().setIdentity(widened);

    var second = plan(IRSA);
    assertThat(second.annotate()).isTrue();
    assertThat(second.associate()).isTrue();
    var switched = second.status(true, "a-1", widened, now);
    assertThat(switched.getMode()).isEqualTo(IRSA);
    assertThat(switched.getPreviousMode()).isEqualTo(PodIdentity);
    assertThat(switched.getAssociationId()).as("kept for older pods").isEqualTo("a-1");
    workload.getStatus().setIdentity(switched);

    var done = plan(IRSA);
    assertThat(done.trusted()).containsExactly(IRSA);
    assertThat(done.associate()).isFalse();
    assertThat(done.status(true, null, switched, now).getAssociationId()).isNull();
  }

  @Test
  void theGracePeriodEndsTheWaitForOlderPods() {
    steady(PodIdentity);
    workload
        .getStatus()
        .setIdentity(
            IdentityStatus.builder()
                .mode(PodIdentity)
                .trusted(List.of(IRSA, PodIdentity))
                .previousMode(IRSA)
                .switchedAt(T0.minus(GRACE).minusSeconds(1).toString())
                .associationId("a-1")
                .build());
    pods.add(pod("old", T0.minus(GRACE).minusSeconds(60)));

    var plan = plan(PodIdentity);

    assertThat(plan.trusted()).containsExactly(PodIdentity);
    assertThat(plan.annotate()).isFalse();
  }

  @Test
  void switchingBackWhileTheOldIdentityIsStillHeldIsImmediate() {
    steady(PodIdentity);
    workload
        .getStatus()
        .setIdentity(
            IdentityStatus.builder()
                .mode(PodIdentity)
                .trusted(List.of(IRSA, PodIdentity))
                .previousMode(IRSA)
                .switchedAt(T0.toString())
                .associationId("a-1")
                .build());

    var plan = plan(IRSA);

    assertThat(plan.annotate()).isTrue();
    assertThat(plan.associate()).isTrue();
    var status = plan.status(true, "a-1", workload.getStatus().getIdentity(), now);
    assertThat(status.getMode()).isEqualTo(IRSA);
    assertThat(status.getPreviousMode()).isEqualTo(PodIdentity);
  }

  private IdentitySwitch.Plan plan(IdentityMode target) {
    return identitySwitch.plan(workload, target, TestContexts.context());
  }

  private void steady(IdentityMode mode) {
    var status = new SecureWorkloadStatus();
    status.setRoleArn("arn:aws:iam::123456789012:role/secureworkload/api");
    status.setIdentity(
        IdentityStatus.builder()
            .mode(mode)
            .trusted(List.of(mode))
            .associationId(mode == PodIdentity ? "a-1" : null)
            .build());
    workload.setStatus(status);
    assertThat(plan(mode).trusted()).isEqualTo(Set.of(mode));
  }

  private static Pod pod(String name, Instant created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created.toString())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName("api")
        .endSpec()
        .build();
  }
}
