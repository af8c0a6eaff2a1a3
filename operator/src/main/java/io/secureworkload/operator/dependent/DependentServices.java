package io.secureworkload.operator.dependent;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.podidentity.PodIdentity;
import java.time.Clock;

/**
 * What a dependent may need besides the workload. A dependent that needs any of it takes this
 * record as its only constructor argument; the others have no-argument constructors.
 *
 * @param accounts the AWS accounts roles live in, each with its IAM and what is known of its roles
 *     (shared with the AWS drift sweeps)
 * @param pods how the pods still holding a role left by an account move, or an identity left by a
 *     switch of modes, are listed
 * @param podIdentity the cluster's EKS Pod Identity associations
 * @param identitySwitch which identity the pods get, and how a switch of modes goes
 */
public record DependentServices(
    OperatorSettings settings,
    WorkloadRole workloadRole,
    IamAccounts accounts,
    Admission admission,
    AccountMove.ServiceAccountPods pods,
    Clock clock,
    PodIdentity podIdentity,
    IdentitySwitch identitySwitch) {

  public DependentServices(
      OperatorSettings settings,
      WorkloadRole workloadRole,
      IamAccounts accounts,
      Admission admission,
      AccountMove.ServiceAccountPods pods,
      Clock clock,
      PodIdentity podIdentity) {
    this(
        settings,
        workloadRole,
        accounts,
        admission,
        pods,
        clock,
        podIdentity,
        new IdentitySwitch(admission, pods, settings.roleSwitchGracePeriod(), clock));
  }

  public DependentServices(
      OperatorSettings settings,
      WorkloadRole workloadRole,
      IamAccounts accounts,
      Admission admission,
      PodIdentity podIdentity) {
    this(
        settings,
        workloadRole,
        accounts,
        admission,
        AccountMove.ServiceAccountPods.API_SERVER,
        Clock.systemUTC(),
        podIdentity);
  }

  public DependentServices(
      OperatorSettings settings,
      WorkloadRole workloadRole,
      IamAccounts accounts,
      Admission admission) {
    this(settings, workloadRole, accounts, admission, PodIdentity.none());
  }
}
