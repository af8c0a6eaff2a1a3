package io.secureworkload.operator.iam;

/**
 * Whether the cluster's OIDC provider is in an account as IRSA needs it: present, with the {@code
 * sts.amazonaws.com} audience. A role whose trust names a provider that is not there is accepted by
 * IAM, and every pod then fails with InvalidIdentityToken.
 *
 * @param problem null when the provider is fine or was not read yet; else what is wrong, for people
 */
public record IdentityProviderCheck(State state, String providerArn, String problem) {

  public enum State {
    NOT_CHECKED,
    FOUND,
    MISSING,
    NO_STS_AUDIENCE,
    ACCESS_DENIED,
    UNREADABLE
  }

  public static final String STS_AUDIENCE = "sts.amazonaws.com";

  public static IdentityProviderCheck notChecked(String providerArn) {
    return new IdentityProviderCheck(State.NOT_CHECKED, providerArn, null);
  }

  /** Roles trusting the provider may be written and reported Ready. */
  public boolean usable() {
    return state == State.FOUND;
  }

  /** Whether the reconciliation must wait for a person: missing, wrong, or not readable. */
  public boolean blocks() {
    return state == State.MISSING || state == State.NO_STS_AUDIENCE || state == State.ACCESS_DENIED;
  }
}
