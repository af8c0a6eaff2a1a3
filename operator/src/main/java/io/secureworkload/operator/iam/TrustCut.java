package io.secureworkload.operator.iam;

/** A role whose trust is cut: no ServiceAccount can assume it. */
public final class TrustCut {

  public static final String TAG = "secureworkload.io/trust-cut";

  private TrustCut() {}
}
