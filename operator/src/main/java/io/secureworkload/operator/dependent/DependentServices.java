package io.secureworkload.operator.dependent;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Clock;

/**
 * What a dependent may need besides the workload. A dependent that needs any of it takes this
 * record as its only constructor argument; the others have no-argument constructors.
 *
 * @param accounts the AWS accounts roles live in, each with its IAM and what is known of its roles
 *     (shared with the AWS drift sweeps)
 * @param pods how the pods still holding a role left by an account move are listed
 */
public record DependentServices(
    OperatorSettings settings,
    WorkloadRole workloadRole,
    IamAccounts accounts,
    Admission admission,
    AccountMove.ServiceAccountPods pods,
    Clock clock) {

  public DependentServices(
      OperatorSettings settings,
      WorkloadRole workloadRole,
      IamAccounts accounts,
      Admission admission) {
    this(
        settings,
        workloadRole,
        accounts,
        admission,
        AccountMove.ServiceAccountPods.API_SERVER,
        Clock.systemUTC());
  }
}
