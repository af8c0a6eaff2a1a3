package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.AwsCallException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/** The operator's AWS account id, asked of STS once and remembered. */
public final class AwsAccount implements Supplier<String> {

  private final StsClient sts;
  private volatile String accountId;

  public AwsAccount(StsClient sts) {
    this.sts = sts;
  }

  @Override
  public String get() {
    var known = accountId;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (accountId == null) {
        try {
          accountId = sts.getCallerIdentity().account();
        } catch (SdkException e) {
          throw new AwsCallException("GetCallerIdentity", "ClientError", e.getMessage(), true, e);
        }
      }
      return accountId;
    }
  }
}
