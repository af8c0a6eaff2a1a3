package io.secureworkload.operator.testsupport;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.Admission;
import io.secureworkload.operator.dependent.DependentServices;
import io.secureworkload.operator.iam.WorkloadRole;

/** What dependents are built with in unit tests: IAM in memory, account 123456789012. */
public final class TestServices {

  /** The uid of the unit tests' namespace, payments. */
  public static final String NAMESPACE_UID = "uid-of-payments";

  private TestServices() {}

  public static DependentServices of(OperatorSettings settings) {
    return of(settings, new FakeIamRoles());
  }

  public static DependentServices of(OperatorSettings settings, FakeIamRoles iam) {
    var issuer =
        settings.oidcIssuerUrl() == null ? "oidc.example.com" : settings.oidcProviderHostPath();
    return of(settings, new FakeIamAccounts(iam, issuer));
  }

  public static DependentServices of(OperatorSettings settings, FakeIamAccounts accounts) {
    var workloadRole = new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT);
    return new DependentServices(
        settings, workloadRole, accounts, new Admission(settings, workloadRole, accounts));
  }
}
