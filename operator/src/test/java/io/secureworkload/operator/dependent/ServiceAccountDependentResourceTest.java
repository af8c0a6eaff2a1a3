package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountDependentResourceTest {

  private static final String PREDICTED_ARN =
      "arn:aws:iam::123456789012:role/secureworkload/sw-prod.payments.api";

  private final ServiceAccountDependentResource dependent =
      new ServiceAccountDependentResource(TestServices.of(TestSettings.inRegion("us-west-2")));

  private final ManagedWorkflowAndDependentResourceContext workflowContext =
      mock(ManagedWorkflowAndDependentResourceContext.class);

  private final Context<SecureWorkload> context = TestContexts.admitting(workflowContext);

  @BeforeEach
  void noRoleReconciledYet() {
    when(workflowContext.get(IamRoleDependentResource.ROLE_CONTEXT_KEY, ActualRole.class))
        .thenReturn(Optional.empty());
  }

  @Test
  void serviceAccountIsNamedAfterTheWorkloadInItsNamespace() {
    var serviceAccount = dependent.desired(minimal(), context);

    assertThat(serviceAccount.getMetadata().getName()).isEqualTo("api");
    assertThat(serviceAccount.getMetadata().getNamespace()).isEqualTo("payments");
  }

  @Test
  void serviceAccountTakesTheNameFromTheSpec() {
    var workload = withSpec("serviceAccount:\n  name: payments-api\n");

    assertThat(dependent.desired(workload, context).getMetadata().getName())
        .isEqualTo("payments-api");
  }

  @Test
  void roleArnIsKnownBeforeTheRoleExistsSoTheServiceAccountIsSettledFirst() {
    var serviceAccount = dependent.desired(minimal(), context);

    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsExactly(Map.entry(ServiceAccountDependentResource.ROLE_ARN, PREDICTED_ARN));
  }

  @Test
  void stsRegionalEndpointsAndTokenExpirationAreAnnotatedWhenSet() {
    var workload =
        withSpec(
            """
            serviceAccount:
              stsRegionalEndpoints: true
              tokenExpirationSeconds: 3600
            """);

    assertThat(dependent.desired(workload, context).getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ServiceAccountDependentResource.ROLE_ARN, PREDICTED_ARN,
                ServiceAccountDependentResource.STS_REGIONAL_ENDPOINTS, "true",
                ServiceAccountDependentResource.TOKEN_EXPIRATION, "3600"));
  }

  @Test
  void stsRegionalEndpointsFalseIsAnnotatedToo() {
    var workload = withSpec("serviceAccount:\n  stsRegionalEndpoints: false\n");

    assertThat(dependent.desired(workload, context).getMetadata().getAnnotations())
        .containsEntry(ServiceAccountDependentResource.STS_REGIONAL_ENDPOINTS, "false")
        .doesNotContainKey(ServiceAccountDependentResource.TOKEN_EXPIRATION);
  }

  @Test
  void serviceAccountCarriesTheManagedByAndWorkloadLabels() {
    var serviceAccount = dependent.desired(minimal(), context);

    assertThat(serviceAccount.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/managed-by", "secure-workload-operator",
                "secureworkload.io/name", "api"));
  }

  private static ActualRole role(String arn) {
    return ActualRole.named("reconciled")
        .withIdentity(arn, "/secureworkload/", null)
        .withDescription("")
        .withTrustPolicy("{}")
        .withMaxSessionDurationSeconds(3600);
  }
}
