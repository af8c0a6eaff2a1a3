package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityGroupPolicyDependentResourceTest {

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
            tier: backend
      """;

  private static final String WITH_GROUPS =
      MINIMAL
          + """
            securityGroups:
              groupIds: [sg-0123456789abcdef0, sg-89abcdef]
          """;

  private final SecurityGroupPolicyDependentResource dependent =
      new SecurityGroupPolicyDependentResource();

  @SuppressWarnings("unchecked")
  private final Context<SecureWorkload> context = mock(Context.class);

  @Test
  void selectsExactlyTheWorkloadsPods() {
    var podSelector = dependent.desired(workload(WITH_GROUPS), context).getSpec().getPodSelector();

    assertThat(podSelector.getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api", "tier", "backend"));
    assertThat(podSelector.getMatchExpressions()).isNullOrEmpty();
  }

  @Test
  void carriesTheGroupIdsInOrder() {
    var spec = dependent.desired(workload(WITH_GROUPS), context).getSpec();

    assertThat(spec.getSecurityGroups().getGroupIds())
        .containsExactly("sg-0123456789abcdef0", "sg-89abcdef");
  }

  @Test
  void hasNoServiceAccountSelector() {
    // Both selectors set would be ANDed by the VPC resource controller; the pods alone decide.
    assertThat(
            dependent.desired(workload(WITH_GROUPS), context).getSpec().getServiceAccountSelector())
        .isNull();
  }

  @Test
  void isNamedAfterTheWorkloadInItsNamespaceWithTheManagedByLabel() {
    var metadata = dependent.desired(workload(WITH_GROUPS), context).getMetadata();

    assertThat(metadata.getName()).isEqualTo("api");
    assertThat(metadata.getNamespace()).isEqualTo("payments");
    assertThat(metadata.getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ManagedLabels.MANAGED_BY,
                ManagedLabels.MANAGED_BY_VALUE,
                ManagedLabels.WORKLOAD,
                "api"));
  }

  @Test
  void isRequestedOnlyWithSecurityGroups() {
    assertThat(dependent.isRequested(workload(WITH_GROUPS))).isTrue();
    assertThat(dependent.isRequested(workload(MINIMAL))).isFalse();
  }

  @Test
  void namesTheSecurityGroupPolicyCrd() {
    assertThat(dependent.crdName()).isEqualTo("securitygrouppolicies.vpcresources.k8s.aws");
    assertThat(dependent.installHint()).isEqualTo(SecurityGroupPolicy.INSTALL_HINT);
  }

  private static SecureWorkload workload(String yaml) {
    return Serialization.unmarshal(yaml, SecureWorkload.class);
  }
}
