package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicySpec;
import java.util.List;

/** The SecurityGroupPolicy that puts the workload's security groups on exactly its pods. */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class SecurityGroupPolicyDependentResource
    extends WorkloadChildDependent<SecurityGroupPolicy> implements CrdBacked {

  public static final String NAME = "security-group-policy";

  static final Part PART =
      new Part(
          "SecurityGroupsReady",
          "SecurityGroupPolicy",
          "spec.securityGroups",
          ConditionReason.SecurityGroupPolicyNotOwned);

  public SecurityGroupPolicyDependentResource(DependentServices services) {
    super(SecurityGroupPolicy.class, PART, services);
  }

  @Override
  public String crdName() {
    return SecurityGroupPolicy.CRD_NAME;
  }

  @Override
  public String installHint() {
    return SecurityGroupPolicy.INSTALL_HINT;
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return workload.getSpec().getSecurityGroups() != null;
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return workload.getMetadata().getName();
  }

  @Override
  protected SecurityGroupPolicy desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var policy = new SecurityGroupPolicy();
    policy.setMetadata(metadata(workload));
    policy.setSpec(
        new SecurityGroupPolicySpec(
            new LabelSelectorBuilder()
                .withMatchLabels(workload.getSpec().getSelector().getMatchLabels())
                .build(),
            null,
            new SecurityGroupPolicySpec.SecurityGroups(
                List.copyOf(workload.getSpec().getSecurityGroups().getGroupIds()))));
    return policy;
  }
}
