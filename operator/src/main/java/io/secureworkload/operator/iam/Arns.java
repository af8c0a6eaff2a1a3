package io.secureworkload.operator.iam;

/** Every ARN the operator writes is built here, so that partition and account are never mixed. */
public final class Arns {

  private Arns() {}

  public static String role(String partition, String accountId, String path, String name) {
    return "arn:" + partition + ":iam::" + accountId + ":role" + path + name;
  }

  /** The account an ARN names ({@code arn:partition:service:region:ACCOUNT:...}); null if none. */
  public static String accountOf(String arn) {
    if (arn == null) {
      return null;
    }
    var parts = arn.split(":", 6);
    return parts.length == 6 && !parts[4].isEmpty() ? parts[4] : null;
  }

  /**
   * @param issuerHostPath the cluster's OIDC issuer without its scheme, as IAM names the provider
   */
  public static String oidcProvider(String partition, String accountId, String issuerHostPath) {
    return "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + issuerHostPath;
  }

  public static String eksCluster(
      String partition, String region, String accountId, String clusterName) {
    return "arn:" + partition + ":eks:" + region + ":" + accountId + ":cluster/" + clusterName;
  }

  /**
   * A secret's ARN ends with a dash and six random characters that its name does not carry; the six
   * wildcards match exactly those, so a secret named {@code db} does not grant {@code db-old}. A
   * full ARN is taken as it is.
   */
  public static String secret(String name, String partition, String region, String accountId) {
    if (name.startsWith("arn:")) {
      return name;
    }
    return "arn:"
        + partition
        + ":secretsmanager:"
        + region
        + ":"
        + accountId
        + ":secret:"
        + name
        + "-??????";
  }

  /** An SSM parameter's ARN; a leading slash of the name is not repeated. A full ARN stays. */
  public static String parameter(String name, String partition, String region, String accountId) {
    if (name.startsWith("arn:")) {
      return name;
    }
    var path = name.startsWith("/") ? name.substring(1) : name;
    return "arn:" + partition + ":ssm:" + region + ":" + accountId + ":parameter/" + path;
  }
}
