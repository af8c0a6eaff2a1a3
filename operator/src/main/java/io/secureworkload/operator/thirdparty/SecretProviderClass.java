package io.secureworkload.operator.thirdparty;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The Secrets Store CSI driver's SecretProviderClass, as far as the operator writes it. */
@Group(SecretProviderClass.GROUP)
@Version("v1")
@Kind("SecretProviderClass")
@Plural("secretproviderclasses")
public class SecretProviderClass extends CustomResource<SecretProviderClassSpec, Void>
    implements Namespaced {

  public static final String GROUP = "secrets-store.csi.x-k8s.io";
  public static final String CRD_NAME = "secretproviderclasses." + GROUP;
  public static final String INSTALL_HINT =
      "Install the Secrets Store CSI driver and its AWS provider"
          + " (secrets-store-csi-driver, secrets-store-csi-driver-provider-aws).";
}
