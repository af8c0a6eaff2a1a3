package io.secureworkload.operator.iam;

/** The account's OIDC provider is missing, lacks the STS audience, or cannot be read. */
public final class IdentityProviderException extends RuntimeException {

  private final IdentityProviderCheck check;

  public IdentityProviderException(IdentityProviderCheck check) {
    super(check.problem());
    this.check = check;
  }

  public IdentityProviderCheck check() {
    return check;
  }
}
