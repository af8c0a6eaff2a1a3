package io.secureworkload.operator.testsupport.eks;

import io.secureworkload.operator.testsupport.MotoServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Whether a role exists, asked of moto: in the double's own account with moto's default
 * credentials, in another account with credentials moto hands out for a role there (moto's
 * AssumeRole acts in the account the role ARN names, whether or not the role exists).
 */
final class EksRoleCheck implements AutoCloseable {

  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[^/]+/)*([^/]+)$");

  private final URI motoEndpoint;
  private final String accountId;
  private final Map<String, IamClient> clients = new ConcurrentHashMap<>();

  EksRoleCheck(URI motoEndpoint, String accountId) {
    this.motoEndpoint = motoEndpoint;
    this.accountId = accountId;
  }

  /** The account a role ARN names; a value that is no role ARN is EKS's InvalidParameter. */
  static String account(String roleArn) {
    var matcher = ROLE_ARN.matcher(roleArn == null ? "" : roleArn);
    if (!matcher.matches()) {
      throw EksFailure.invalidParameter("Invalid role ARN: " + roleArn);
    }
    return matcher.group(1);
  }

  boolean exists(String roleArn) {
    var account = account(roleArn);
    var matcher = ROLE_ARN.matcher(roleArn);
    matcher.matches();
    var roleName = matcher.group(2);
    if (account.equals(accountId)) {
      return exists(clients.computeIfAbsent(account, this::iamIn), roleName);
    }
    // Assumed credentials are not kept: moto forgets them when it is reset.
    try (var iam = iamIn(account)) {
      return exists(iam, roleName);
    }
  }

  private static boolean exists(IamClient iam, String roleName) {
    try {
      iam.getRole(r -> r.roleName(roleName));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  private IamClient iamIn(String account) {
    return IamClient.builder()
        .endpointOverride(motoEndpoint)
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            account.equals(accountId) ? MotoServer.credentials() : assumed(account))
        .build();
  }

  private AwsCredentialsProvider assumed(String account) {
    try (var sts =
        StsClient.builder()
            .endpointOverride(motoEndpoint)
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(MotoServer.credentials())
            .build()) {
      var credentials =
          sts.assumeRole(
                  r ->
                      r.roleArn("arn:aws:iam::" + account + ":role/eks-double-role-check")
                          .roleSessionName("eks-double"))
              .credentials();
      return StaticCredentialsProvider.create(
          AwsSessionCredentials.create(
              credentials.accessKeyId(),
              credentials.secretAccessKey(),
              credentials.sessionToken()));
    }
  }

  @Override
  public void close() {
    clients.values().forEach(IamClient::close);
    clients.clear();
  }
}
