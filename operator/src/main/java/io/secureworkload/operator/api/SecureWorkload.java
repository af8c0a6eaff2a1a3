package io.secureworkload.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One workload's security envelope: its IAM role, ServiceAccount, secrets, security groups and
 * network policies, kept in sync by the operator.
 */
@Group(SecureWorkload.GROUP)
@Version(SecureWorkload.VERSION)
@ShortNames("sw")
@ValidationRule(
    value = "self.metadata.name.size() <= " + SecureWorkload.MAX_NAME_LENGTH,
    message =
        "metadata.name must be at most 63 characters: it is the value of the"
            + " secureworkload.io/name label on every object the operator makes")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Identity",
    jsonPath = ".status.identity.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Role ARN",
    jsonPath = ".status.roleArn",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SecureWorkload extends CustomResource<SecureWorkloadSpec, SecureWorkloadStatus>
    implements Namespaced {

  public static final String GROUP = "secureworkload.io";
  public static final String VERSION = "v1alpha1";

  /**
   * Who manages what the operator makes: the managed-by label of its Kubernetes objects, the
   * managed-by tag of its IAM roles, the component of its Events.
   */
  public static final String MANAGED_BY = "secure-workload-operator";

  /** A label value's limit: the name is a label on every child. */
  public static final int MAX_NAME_LENGTH = 63;

  @Override
  protected SecureWorkloadStatus initStatus() {
    return new SecureWorkloadStatus();
  }
}
