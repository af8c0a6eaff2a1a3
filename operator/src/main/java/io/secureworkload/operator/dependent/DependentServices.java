package io.secureworkload.operator.dependent;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;

/**
 * What a dependent may need besides the workload. A dependent that needs any of it takes this
 * record as its only constructor argument; the others have no-argument constructors.
 *
 * @param roleStates what is known of each role without asking IAM, shared with the AWS drift sweep
 */
public record DependentServices(
    OperatorSettings settings,
    WorkloadRole workloadRole,
    IamRoles iamRoles,
    RoleStates roleStates,
    Admission admission) {}
