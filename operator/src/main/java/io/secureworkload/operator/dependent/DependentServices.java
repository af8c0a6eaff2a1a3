package io.secureworkload.operator.dependent;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.WorkloadRole;

/**
 * What a dependent may need besides the workload. A dependent that needs any of it takes this
 * record as its only constructor argument; the others have no-argument constructors.
 *
 * @param accounts the AWS accounts roles live in, each with its IAM and what is known of its roles
 *     (shared with the AWS drift sweeps)
 */
public record DependentServices(
    OperatorSettings settings,
    WorkloadRole workloadRole,
    IamAccounts accounts,
    Admission admission) {}
