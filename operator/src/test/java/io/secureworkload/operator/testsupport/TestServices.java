package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.DependentServices;
import io.secureworkload.operator.iam.WorkloadRole;

/** What dependents are built with in unit tests: IAM in memory, account 123456789012. */
public final class TestServices {

  private TestServices() {}

  public static DependentServices of(OperatorSettings settings) {
    return of(settings, new FakeIamRoles());
  }

  public static DependentServices of(OperatorSettings settings, FakeIamRoles iam) {
    return new DependentServices(
        settings, new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT), iam);
  }
}
