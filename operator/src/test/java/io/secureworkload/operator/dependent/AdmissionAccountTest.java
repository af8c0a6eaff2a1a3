package io.secureworkload.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.guardrail.Rule;
import io.secureworkload.operator.guardrail.Violation;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import org.junit.jupiter.api.Test;

/**
 * Which account a workload's role lives in: the one its Enforce policies name, the operator's own
 * when none does, and, when they disagree, the one its role is already in (or none is made).
 */
class AdmissionAccountTest {

  private final Admission admission =
      TestServices.of(TestSettings.inRegion("us-west-2")).admission();

  @Test
  void noAccountNamedKeepsTheRoleInTheOperatorsOwnAccount() {
    var decision = decide(TestWorkloads.minimal());

    assertThat(decision.account().isHome()).isTrue();
    assertThat(decision.account().id()).isEqualTo(FakeIamRoles.ACCOUNT);
    assertThat(decision.roleArn()).startsWith("arn:aws:iam::" + FakeIamRoles.ACCOUNT + ":role/");
  }

  @Test
  void theNamedAccountHoldsTheRoleAndFillsInTheGuardrailsAccount() {
    var workload =
        TestWorkloads.withSpec(
            """
            iam:
              statements:
              - actions: [sqs:SendMessage]
                resources: ["arn:aws:sqs:us-west-2:222222222222:payments_orders"]
            """);

    var decision = decide(workload, mapping("team", "222222222222", "operator"));

    assertThat(decision.account().id()).isEqualTo("222222222222");
    assertThat(decision.account().roleArn()).isEqualTo("arn:aws:iam::222222222222:role/operator");
    assertThat(decision.account().externalIdSecret()).isEqualTo("team-external-id");
    assertThat(decision.account().externalIdKey()).isEqualTo("externalId");
    assertThat(decision.roleArn()).startsWith("arn:aws:iam::222222222222:role/");
    // ${account} in the default's allowed resources is the workload's account, not the operator's.
    assertThat(decision.verdict().violations()).isEmpty();
    assertThat(decision.inlinePolicy()).contains("222222222222");
  }

  @Test
  void anArnInTheOperatorsAccountIsForeignToAWorkloadInAnother() {
    var workload =
        TestWorkloads.withSpec(
            """
            iam:
              statements:
              - actions: [sqs:SendMessage]
                resources: ["arn:aws:sqs:us-west-2:%s:payments_orders"]
            """
                .formatted(FakeIamRoles.ACCOUNT));

    var decision = decide(workload, mapping("team", "222222222222", "operator"));

    assertThat(decision.verdict().violations())
        .extracting(Violation::rule)
        .contains(Rule.FOREIGN_ACCOUNT);
  }

  @Test
  void aConflictKeepsTheRoleInTheAccountItIsInAndMakesNoneElsewhere() {
    var a = mapping("a", "222222222222", "operator");
    var b = mapping("b", "333333333333", "operator");
    var inB = TestWorkloads.minimal();
    var status = new SecureWorkloadStatus();
    status.setRoleArn("arn:aws:iam::333333333333:role/secureworkload/sw-prod.payments.api");
    inB.setStatus(status);

    var kept = decide(inB, a, b);
    var fresh = decide(TestWorkloads.minimal(), a, b);

    assertThat(kept.account().id()).isEqualTo("333333333333");
    assertThat(kept.verdict().violations())
        .extracting(Violation::rule)
        .contains(Rule.ACCOUNT_CONFLICT);
    assertThat(fresh.account().isHome()).isTrue();
    assertThat(fresh.roleRefused()).isTrue();
  }

  private Admission.Decision decide(SecureWorkload workload, SecureWorkloadPolicy... policies) {
    return admission.of(
        workload,
        TestContexts.admitting(mock(ManagedWorkflowAndDependentResourceContext.class), policies));
  }

  private static SecureWorkloadPolicy mapping(String name, String account, String role) {
    return Serialization.unmarshal(
        """
        apiVersion: secureworkload.io/v1alpha1
        kind: SecureWorkloadPolicy
        metadata: {name: %s}
        spec:
          namespaces: [payments]
          iam:
            permissionsBoundaryArn: "arn:aws:iam::${account}:policy/boundary"
          account:
            id: "%s"
            roleArn: arn:aws:iam::%s:role/%s
            externalIdSecretRef: {name: %s-external-id}
        """
            .formatted(name, account, account, role, name),
        SecureWorkloadPolicy.class);
  }
}
