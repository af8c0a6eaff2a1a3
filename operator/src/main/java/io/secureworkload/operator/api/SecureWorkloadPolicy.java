package io.secureworkload.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Guardrails a platform team sets for the SecureWorkloads of some namespaces: what their IAM roles,
 * secrets, security groups and network rules may contain. Every policy that selects a namespace
 * applies (the most restrictive wins); a namespace no enforced policy selects gets the default
 * policy too: the policies labelled {@code secureworkload.io/default-policy: "true"}, whatever
 * their selectors say, or the operator's built-in default when none is.
 */
@Group(SecureWorkload.GROUP)
@Version(SecureWorkload.VERSION)
@ShortNames("swp")
@AdditionalPrinterColumn(
    name = "Mode",
    jsonPath = ".spec.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Namespaces",
    jsonPath = ".status.matchedNamespaces",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Workloads",
    jsonPath = ".status.matchedWorkloads",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Violations",
    jsonPath = ".status.workloadsInViolation",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SecureWorkloadPolicy
    extends CustomResource<SecureWorkloadPolicySpec, SecureWorkloadPolicyStatus> {

  @Override
  protected SecureWorkloadPolicyStatus initStatus() {
    return new SecureWorkloadPolicyStatus();
  }
}
