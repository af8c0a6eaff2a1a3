package io.secureworkload.operator.health;

import java.util.List;
import java.util.stream.Stream;

/**
 * The sample objects under {@code src/test/resources/health/}, with how Argo CD (our health
 * scripts) and kstatus (Flux, kpt, cli-utils) must read each. One table, so the two readings of the
 * status contract are checked on the same objects.
 */
final class HealthFixtures {

  /**
   * @param file the fixture, under {@code health/}
   * @param argoCd the status our Argo CD health script must give
   * @param messagePart a part of the message it must give
   * @param kstatus the status kstatus computes
   */
  record Fixture(String file, String argoCd, String messagePart, String kstatus) {
    @Override
    public String toString() {
      return file;
    }

    boolean isPolicy() {
      return file.startsWith("secureworkloadpolicy-");
    }
  }

  static final List<Fixture> ALL =
      List.of(
          new Fixture("secureworkload-ready.yaml", "Healthy", "AllPartsReady", "Current"),
          new Fixture(
              "secureworkload-generation-not-observed.yaml",
              "Progressing",
              "observe generation 4",
              "InProgress"),
          // kstatus calls an object without status Current: the operator must write its first
          // status (Reconciling=True) at once. Argo CD waits.
          new Fixture("secureworkload-no-status.yaml", "Progressing", "report status", "Current"),
          new Fixture("secureworkload-retrying.yaml", "Progressing", "throttled", "InProgress"),
          new Fixture(
              "secureworkload-stalled-not-owned.yaml", "Degraded", "RoleNotOwned", "Failed"),
          new Fixture(
              "secureworkload-stalled-guardrail-violation.yaml",
              "Degraded",
              "GuardrailViolation: spec.iam.statements[0]",
              "Failed"),
          new Fixture(
              "secureworkload-stalled-invalid.yaml",
              "Degraded",
              "MalformedPolicyDocument",
              "Failed"),
          // kstatus reads any object with a deletionTimestamp as Terminating, stuck or not.
          new Fixture(
              "secureworkload-deleting.yaml", "Progressing", "Deleting IAM role", "Terminating"),
          new Fixture(
              "secureworkload-deletion-blocked.yaml",
              "Degraded",
              "DeletionBlocked: IAM DeleteRole: AccessDenied",
              "Terminating"),
          new Fixture("secureworkloadpolicy-ready.yaml", "Healthy", "Enforced", "Current"),
          new Fixture(
              "secureworkloadpolicy-conflict.yaml",
              "Degraded",
              "Conflict: Policy baseline",
              "Failed"),
          new Fixture(
              "secureworkloadpolicy-generation-not-observed.yaml",
              "Progressing",
              "observe generation 2",
              "InProgress"));

  static Stream<Fixture> all() {
    return ALL.stream();
  }

  private HealthFixtures() {}
}
