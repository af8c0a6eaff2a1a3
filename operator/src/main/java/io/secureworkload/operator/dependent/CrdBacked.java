package io.secureworkload.operator.dependent;

/** A child whose kind comes from a CRD that another project installs, and may be missing. */
public interface CrdBacked {

  /**
   * Name of the CustomResourceDefinition, for example
   * secretproviderclasses.secrets-store.csi.x-k8s.io.
   */
  String crdName();

  /** What to install when the CRD is missing. */
  String installHint();
}
