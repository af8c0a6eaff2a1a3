package io.secureworkload.operator.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.services.sts.StsClient;

/** The operator's AWS account id, asked of STS once and remembered. */
public final class AwsAccount implements Supplier<String> {

  private final StsClient sts;
  private final AwsCalls calls;
  private volatile String accountId;

  public AwsAccount(StsClient sts, AwsCalls calls) {
    this.sts = sts;
    this.calls = calls;
  }

  /** The id, if STS was asked already; never calls. */
  public java.util.Optional<String> known() {
    return java.util.Optional.ofNullable(accountId);
  }

  @Override
  public String get() {
    var known = accountId;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (accountId == null) {
        accountId = calls.call("GetCallerIdentity", () -> sts.getCallerIdentity().account());
      }
      return accountId;
    }
  }
}
