package io.secureworkload.operator.thirdparty;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The VPC resource controller's SecurityGroupPolicy (security groups for pods). */
@Group(SecurityGroupPolicy.GROUP)
@Version("v1beta1")
@Kind("SecurityGroupPolicy")
@Plural("securitygrouppolicies")
public class SecurityGroupPolicy extends CustomResource<SecurityGroupPolicySpec, Void>
    implements Namespaced {

  public static final String GROUP = "vpcresources.k8s.aws";
  public static final String CRD_NAME = "securitygrouppolicies." + GROUP;
  public static final String INSTALL_HINT =
      "Enable security groups for pods (ENABLE_POD_ENI=true on the Amazon VPC CNI), which runs"
          + " the VPC resource controller that installs this CRD.";
}
