package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.paymentsApi;
import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityGroupPolicyDependentResourceTest {

  // Two labels, so that selectsExactlyTheWorkloadsPods sees the whole selector copied.
  private static final String BACKEND_SELECTOR =
      "selector: {matchLabels: {app: api, tier: backend}}\n";

  private static final String WITH_GROUPS =
      BACKEND_SELECTOR
          + """
          securityGroups:
            groupIds: [sg-0123456789abcdef0, sg-89abcdef]
          """;

  private final SecurityGroupPolicyDependentResource dependent =
      new SecurityGroupPolicyDependentResource(TestServices.of(TestSettings.inRegion("us-west-2")));

  private final Context<SecureWorkload> context = TestContexts.context();

  @Test
  void selectsExactlyTheWorkloadsPods() {
    var podSelector =
        dependent.desired(paymentsApi(WITH_GROUPS), context).getSpec().getPodSelector();

    assertThat(podSelector.getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api", "tier", "backend"));
    assertThat(podSelector.getMatchExpressions()).isNullOrEmpty();
  }

  @Test
  void carriesTheGroupIdsInOrder() {
    var spec = dependent.desired(paymentsApi(WITH_GROUPS), context).getSpec();

    assertThat(spec.getSecurityGroups().getGroupIds())
        .containsExactly("sg-0123456789abcdef0", "sg-89abcdef");
  }

  @Test
  void hasNoServiceAccountSelector() {
    // Both selectors set would be ANDed by the VPC resource controller; the pods alone decide.
    assertThat(
            dependent
                .desired(paymentsApi(WITH_GROUPS), context)
                .getSpec()
                .getServiceAccountSelector())
        .isNull();
  }

  @Test
  void isRequestedOnlyWithSecurityGroups() {
    assertThat(dependent.isRequested(paymentsApi(WITH_GROUPS))).isTrue();
    assertThat(dependent.isRequested(paymentsApi(BACKEND_SELECTOR))).isFalse();
  }

  @Test
  void namesTheSecurityGroupPolicyCrd() {
    assertThat(dependent.crdName()).isEqualTo("securitygrouppolicies.vpcresources.k8s.aws");
  }
}
