package io.secureworkload.operator.config;

import java.util.Arrays;

/** Which batched IAM reads the AWS drift sweep makes. */
public enum DriftSweepMode {

  /**
   * {@code GetAccountAuthorizationDetails} (trust, inline and managed policies, tags, boundary of
   * up to 1,000 roles per call) with {@code ListRoles} (session duration, description): every kind
   * of drift is seen. Needs {@code iam:GetAccountAuthorizationDetails}, an account-wide read.
   */
  AUTHORIZATION_DETAILS("authorization-details"),

  /**
   * {@code ListRoles} under the role path only: a missing role, a changed trust policy, session
   * duration or description are seen; changes to policies, tags or the boundary wait for the
   * resync, which then reads each role.
   */
  LIST_ROLES("list-roles");

  private final String value;

  DriftSweepMode(String value) {
    this.value = value;
  }

  /** How the setting spells it. */
  public String value() {
    return value;
  }

  static DriftSweepMode parse(String value) {
    return Arrays.stream(values())
        .filter(mode -> mode.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(value));
  }
}
