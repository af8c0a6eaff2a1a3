package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.outcome.PartOutcome;
import java.util.Optional;

/**
 * What every dependent says about itself, so that the workflow annotation and the dependent class
 * are the only places a part is declared: the part it belongs to and when the spec asks for it.
 */
public interface EnvelopeDependent {

  /** The part, and so the status condition, this dependent reports on. */
  Part part();

  /** Whether the spec asks for this dependent; when it stops asking, the workflow deletes it. */
  default boolean isRequested(SecureWorkload workload) {
    return true;
  }

  /** Whether the spec, as the guardrails admit it in this reconciliation, asks for it. */
  default boolean isRequested(SecureWorkload workload, Context<SecureWorkload> context) {
    return isRequested(workload);
  }

  /**
   * The name people know this dependent's object by, as this reconciliation made it (the IAM role's
   * ARN, a NetworkPolicy's name); empty while it has none.
   *
   * @param admitted the workload as the guardrails admit it
   */
  Optional<String> objectName(SecureWorkload admitted, Context<SecureWorkload> context);

  /** A warning that a part in sync still deserves, such as egress that cannot reach AWS. */
  default Optional<PartOutcome> inSyncCaveat(SecureWorkload workload) {
    return Optional.empty();
  }
}
