package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.Admission;
import io.secureworkload.operator.dependent.DependentServices;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Duration;

/** What dependents are built with in unit tests: IAM in memory, account 123456789012. */
public final class TestServices {

  /** The uid of the unit tests' namespace, payments. */
  public static final String NAMESPACE_UID = "uid-of-payments";

  private TestServices() {}

  public static DependentServices of(OperatorSettings settings) {
    return of(settings, new FakeIamRoles());
  }

  public static DependentServices of(OperatorSettings settings, FakeIamRoles iam) {
    var workloadRole = new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT);
    return new DependentServices(
        settings,
        workloadRole,
        iam,
        new RoleStates(Duration.ofHours(1)),
        new Admission(settings, workloadRole, () -> FakeIamRoles.ACCOUNT, iam));
  }
}
