package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountDependentResourceTest {

  private static final String PREDICTED_ARN =
      "arn:aws:iam::123456789012:role/secureworkload/sw-prod-payments-api";

  private static final String MINIMAL =
      """
      apiVersion: secureworkload.io/v1alpha1
      kind: SecureWorkload
      metadata:
        name: api
        namespace: payments
      spec:
        selector:
          matchLabels:
            app: api
      """;

  private final ServiceAccountDependentResource dependent =
      new ServiceAccountDependentResource(
          new WorkloadRole(
              OperatorSettings.fromEnvironment(
                  Map.of(
                      OperatorSettings.CLUSTER_NAME, "prod",
                      OperatorSettings.OIDC_ISSUER_URL,
                          "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
                      OperatorSettings.AWS_REGION, "us-west-2")),
              () -> "123456789012"));

  @SuppressWarnings("unchecked")
  private final Context<SecureWorkload> context = mock(Context.class);

  private final ManagedWorkflowAndDependentResourceContext workflowContext =
      mock(ManagedWorkflowAndDependentResourceContext.class);

  @BeforeEach
  void noRoleReconciledYet() {
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflowContext);
    when(workflowContext.get(IamRoleDependentResource.ROLE_CONTEXT_KEY, ActualRole.class))
        .thenReturn(Optional.empty());
  }

  @Test
  void serviceAccountIsNamedAfterTheWorkloadInItsNamespace() {
    var serviceAccount = dependent.desired(workload(MINIMAL), context);

    assertThat(serviceAccount.getMetadata().getName()).isEqualTo("api");
    assertThat(serviceAccount.getMetadata().getNamespace()).isEqualTo("payments");
  }

  @Test
  void serviceAccountTakesTheNameFromTheSpec() {
    var workload = workload(MINIMAL + "  serviceAccount:\n    name: payments-api\n");

    assertThat(dependent.desired(workload, context).getMetadata().getName())
        .isEqualTo("payments-api");
  }

  @Test
  void roleArnIsPredictedWhenNoRoleWasReconciled() {
    var serviceAccount = dependent.desired(workload(MINIMAL), context);

    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsExactly(Map.entry(ServiceAccountDependentResource.ROLE_ARN, PREDICTED_ARN));
  }

  @Test
  void roleArnComesFromTheReconciledRole() {
    var reconciledArn = "arn:aws:iam::123456789012:role/secureworkload/reconciled";
    when(workflowContext.get(IamRoleDependentResource.ROLE_CONTEXT_KEY, ActualRole.class))
        .thenReturn(Optional.of(role(reconciledArn)));

    var serviceAccount = dependent.desired(workload(MINIMAL), context);

    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsEntry(ServiceAccountDependentResource.ROLE_ARN, reconciledArn);
  }

  @Test
  void stsRegionalEndpointsAndTokenExpirationAreAnnotatedWhenSet() {
    var workload =
        workload(
            MINIMAL
                + "  serviceAccount:\n"
                + "    stsRegionalEndpoints: true\n"
                + "    tokenExpirationSeconds: 3600\n");

    assertThat(dependent.desired(workload, context).getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ServiceAccountDependentResource.ROLE_ARN, PREDICTED_ARN,
                ServiceAccountDependentResource.STS_REGIONAL_ENDPOINTS, "true",
                ServiceAccountDependentResource.TOKEN_EXPIRATION, "3600"));
  }

  @Test
  void stsRegionalEndpointsFalseIsAnnotatedToo() {
    var workload = workload(MINIMAL + "  serviceAccount:\n    stsRegionalEndpoints: false\n");

    assertThat(dependent.desired(workload, context).getMetadata().getAnnotations())
        .containsEntry(ServiceAccountDependentResource.STS_REGIONAL_ENDPOINTS, "false")
        .doesNotContainKey(ServiceAccountDependentResource.TOKEN_EXPIRATION);
  }

  @Test
  void serviceAccountCarriesTheManagedByAndWorkloadLabels() {
    var serviceAccount = dependent.desired(workload(MINIMAL), context);

    assertThat(serviceAccount.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/managed-by", "secure-workload-operator",
                "secureworkload.io/name", "api"));
  }

  private static SecureWorkload workload(String yaml) {
    return Serialization.unmarshal(yaml, SecureWorkload.class);
  }

  private static ActualRole role(String arn) {
    return new ActualRole(
        "reconciled", arn, "/secureworkload/", "", "{}", Map.of(), Set.of(), 3600, null, Map.of());
  }
}
