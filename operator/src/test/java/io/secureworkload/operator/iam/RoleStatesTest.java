package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.config.DriftSweepMode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the operator may take as known about a role without asking IAM, and for how long. */
class RoleStatesTest {

  @Test
  void knowledgeTheSweepKeepsVouchingForOutlastsAShortResyncButNeverTheHourlyOne() {
    var minute = Duration.ofMinutes(1);
    assertThat(RoleStates.trustHorizon(minute, minute, DriftSweepMode.AUTHORIZATION_DETAILS))
        .isEqualTo(Duration.ofSeconds(150));
    assertThat(
            RoleStates.trustHorizon(
                Duration.ofHours(1), minute, DriftSweepMode.AUTHORIZATION_DETAILS))
        .isEqualTo(Duration.ofMinutes(54));
    // A listing does not see policies: only the resync vouches for them.
    assertThat(RoleStates.trustHorizon(minute, minute, DriftSweepMode.LIST_ROLES))
        .isEqualTo(Duration.ofSeconds(54));
  }

  private final AtomicLong clock = new AtomicLong(1_000);
  private final RoleStates states = new RoleStates(Duration.ofMinutes(54), clock::get);

  @Test
  void aWrittenRoleIsKnownToMeanItsDesiredRole() {
    var desired = desired("r", "{\"Statement\":[]}");

    states.written(desired, actual("r", Map.of("by-hand", "{}")));

    var known = states.matching(desired).orElseThrow();
    assertThat(RolePlanner.changes(desired, known)).isEmpty();
    assertThat(known.inlinePolicies()).containsOnlyKeys(DesiredRole.INLINE_POLICY_NAME);
  }

  @Test
  void anotherDesiredRoleIsNotMatchedByWhatWasWrittenBefore() {
    var first = desired("r", "{\"Statement\":[]}");
    states.written(first, actual("r", Map.of()));
    var second = desired("r", "{\"Statement\":[{\"Effect\":\"Allow\"}]}");
    states.written(second, actual("r", Map.of()));

    assertThat(states.matching(first)).isEmpty();
    assertThat(states.matching(second)).isPresent();
  }

  @Test
  void knowledgeOlderThanTheTrustedAgeIsNotTrusted() {
    var desired = desired("r", null);
    states.written(desired, actual("r", Map.of()));

    clock.addAndGet(Duration.ofMinutes(54).toNanos());

    assertThat(states.matching(desired)).isEmpty();
    assertThat(states.known("r")).isEmpty();
    assertThat(states.unknown("r")).isFalse();
  }

  @Test
  void aSweepThatFindsTheRoleUnchangedKeepsItTrusted() {
    var desired = desired("r", null);
    states.written(desired, actual("r", Map.of()));
    clock.addAndGet(Duration.ofMinutes(50).toNanos());

    assertThat(states.observed(RolePlanner.applied(desired, actual("r", Map.of())), states.now()))
        .isFalse();
    clock.addAndGet(Duration.ofMinutes(10).toNanos());

    assertThat(states.matching(desired)).isPresent();
  }

  @Test
  void atMostTheBoundIsKept() {
    for (int i = 0; i < RoleStates.MAX_ENTRIES + 10; i++) {
      states.read(desired("r" + i, null), actual("r" + i, Map.of()));
    }

    assertThat(states.size()).isEqualTo(RoleStates.MAX_ENTRIES);
    assertThat(states.unknown("r0")).isTrue();
    assertThat(states.unknown("r" + (RoleStates.MAX_ENTRIES + 9))).isFalse();
  }

  private static DesiredRole desired(String name, String inline) {
    return new DesiredRole(
        name,
        "/secureworkload/",
        "d",
        "{\"Version\":\"2012-10-17\"}",
        inline,
        Set.of(),
        3600,
        "arn:aws:iam::123456789012:policy/b",
        Map.of("secureworkload.io/name", name));
  }

  private static ActualRole actual(String name, Map<String, String> inline) {
    return ActualRole.named(name)
        .withIdentity(
            "arn:aws:iam::123456789012:role/secureworkload/" + name, "/secureworkload/", null)
        .withDescription("old")
        .withTrustPolicy("{}")
        .withInlinePolicies(inline)
        .withManagedPolicyArns(Set.of("arn:p"))
        .withMaxSessionDurationSeconds(3600)
        .withTags(Map.of("cost-centre", "42"));
  }
}
