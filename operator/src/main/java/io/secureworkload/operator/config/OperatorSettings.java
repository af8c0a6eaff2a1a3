package io.secureworkload.operator.config;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import lombok.Builder;

/**
 * The operator's own configuration, read from environment variables. Each variable is documented in
 * the README's configuration table.
 *
 * @param clusterName part of every role name and ownership tag; tells clusters sharing an AWS
 *     account apart
 * @param oidcIssuerUrl the cluster's OIDC issuer; the trust policy names its IAM identity provider
 * @param awsRegion region of the AWS clients and of the partition in ARNs
 * @param rolePrefix prefix of every role name
 * @param rolePath IAM path of every role
 * @param awsEndpoint endpoint override for every AWS client (an emulator), none in production
 * @param permissionsBoundaryArn boundary attached to every role, so that no inline statement can
 *     reach past what the platform allows
 * @param watchNamespaces namespaces to watch; empty means all
 * @param resyncPeriod how often a Ready workload is compared with AWS again, to repair drift made
 *     outside Kubernetes
 * @param iamRequestsPerSecond rate limit of all IAM calls together
 * @param maxConcurrentReconciliations bound of parallel reconciliations
 * @param metricsPort port of /metrics and /healthz; 0 disables the endpoint
 * @param dnsNamespace namespace of the cluster DNS pods, the target of the DNS egress rule
 * @param dnsPodLabels labels of the cluster DNS pods
 * @param awsApiCidrs where the AWS APIs (VPC interface endpoints) live; the target of the AWS
 *     egress rule. Empty: no AWS egress rule can be written.
 * @param allowUnboundedRoles whether a role may be written with no permissions boundary when
 *     neither a SecureWorkloadPolicy nor {@code permissionsBoundaryArn} names one; off by default
 * @param maxTrustPolicyCharacters the account's trust policy size quota (IAM's default 2,048)
 * @param maxManagedPoliciesPerRole the account's managed-policies-per-role quota (IAM's default 10)
 * @param leaderElection whether the replicas elect one leader through a Lease, and where
 * @param awsDriftPeriod how often the AWS drift sweep reads the operator's roles in batches to find
 *     those deleted or changed outside Kubernetes, and the orphan sweep those whose SecureWorkload
 *     is gone
 * @param orphanPolicy what the orphan sweep does with a role of this cluster whose SecureWorkload
 *     no longer exists: report it (the default) or delete it
 * @param awsDriftSweepMode which batched reads the sweep makes
 * @param defaultPolicyMode the mode of the built-in default policy (used while no
 *     SecureWorkloadPolicy is marked as the default): Enforce, or Audit for a cluster that moves
 *     from the old, open default and first wants to see what the new one would refuse
 * @param operatorNamespace the operator's own namespace, where the Secrets holding the external ids
 *     of other accounts' roles live (the chart sets it from the pod's namespace)
 * @param accountIamRequestsPerSecond the IAM rate limit of particular accounts, by account id; an
 *     account not listed gets {@code iamRequestsPerSecond}
 * @param stsTimeout how long an AssumeRole into another account may take, retries included, before
 *     that account's workloads are reported unavailable
 * @param roleQuota the role quota counted against in an account whose GetAccountSummary is refused
 * @param roleSwitchGracePeriod how long a role left behind in the old account after a namespace
 *     moved to another one is kept while pods that started before the switch still run
 * @param eksClusterName the EKS cluster whose pod identity associations the operator keeps; by
 *     default {@code clusterName}
 * @param eksEndpoint endpoint override of the EKS client; none uses {@code awsEndpoint}, if set
 * @param eksRequestsPerSecond rate limit of all EKS calls together
 * @param podIdentityAssociationQuota the cluster's pod identity associations quota (EKS's default
 *     5,000)
 */
@Builder(toBuilder = true)
public record OperatorSettings(
    String clusterName,
    URI oidcIssuerUrl,
    String awsRegion,
    String rolePrefix,
    String rolePath,
    Optional<URI> awsEndpoint,
    Optional<String> permissionsBoundaryArn,
    Set<String> watchNamespaces,
    Duration resyncPeriod,
    double iamRequestsPerSecond,
    int maxConcurrentReconciliations,
    int metricsPort,
    String dnsNamespace,
    Map<String, String> dnsPodLabels,
    List<String> awsApiCidrs,
    boolean allowUnboundedRoles,
    int maxTrustPolicyCharacters,
    int maxManagedPoliciesPerRole,
    LeaderElectionSettings leaderElection,
    Duration awsDriftPeriod,
    OrphanPolicy orphanPolicy,
    DriftSweepMode awsDriftSweepMode,
    SecureWorkloadPolicySpec.Mode defaultPolicyMode,
    Optional<String> operatorNamespace,
    Map<String, Double> accountIamRequestsPerSecond,
    Duration stsTimeout,
    int roleQuota,
    Duration roleSwitchGracePeriod,
    String eksClusterName,
    Optional<URI> eksEndpoint,
    double eksRequestsPerSecond,
    int podIdentityAssociationQuota) {

  /**
   * What becomes of an orphaned role. Report is the default because a deleted role cannot be
   * brought back: a role recreated later has a new unique id that no resource policy names, and the
   * SecureWorkloads may be missing only for a while (an etcd restore from an older backup, a GitOps
   * tool that has not applied them yet).
   */
  public enum OrphanPolicy {
    Report,
    Delete
  }

  public static final String CLUSTER_NAME = "SW_CLUSTER_NAME";
  public static final String OIDC_ISSUER_URL = "SW_OIDC_ISSUER_URL";
  public static final String AWS_REGION = "SW_AWS_REGION";
  public static final String ROLE_PREFIX = "SW_ROLE_PREFIX";
  public static final String ROLE_PATH = "SW_ROLE_PATH";
  public static final String AWS_ENDPOINT_URL = "SW_AWS_ENDPOINT_URL";
  public static final String PERMISSIONS_BOUNDARY_ARN = "SW_PERMISSIONS_BOUNDARY_ARN";
  public static final String WATCH_NAMESPACES = "SW_WATCH_NAMESPACES";
  public static final String RESYNC_PERIOD = "SW_RESYNC_PERIOD";
  public static final String IAM_REQUESTS_PER_SECOND = "SW_IAM_REQUESTS_PER_SECOND";
  public static final String MAX_CONCURRENT_RECONCILIATIONS = "SW_MAX_CONCURRENT_RECONCILIATIONS";
  public static final String METRICS_PORT = "SW_METRICS_PORT";
  public static final String DNS_NAMESPACE = "SW_DNS_NAMESPACE";
  public static final String DNS_POD_LABELS = "SW_DNS_POD_LABELS";
  public static final String AWS_API_CIDRS = "SW_AWS_API_CIDRS";
  public static final String ALLOW_UNBOUNDED_ROLES = "SW_ALLOW_UNBOUNDED_ROLES";
  public static final String MAX_TRUST_POLICY_CHARACTERS = "SW_MAX_TRUST_POLICY_CHARACTERS";
  public static final String MAX_MANAGED_POLICIES_PER_ROLE = "SW_MAX_MANAGED_POLICIES_PER_ROLE";
  // Leader election (the identity is the pod's name, which Kubernetes sets as HOSTNAME)
  public static final String LEADER_ELECTION = "SW_LEADER_ELECTION";
  public static final String LEADER_ELECTION_NAMESPACE = "SW_LEADER_ELECTION_NAMESPACE";
  private static final String POD_NAME = "HOSTNAME";
  public static final String AWS_DRIFT_PERIOD = "SW_AWS_DRIFT_PERIOD";
  public static final String ORPHAN_POLICY = "SW_ORPHAN_POLICY";

  public static final String DEFAULT_DNS_NAMESPACE = "kube-system";
  public static final Map<String, String> DEFAULT_DNS_POD_LABELS = Map.of("k8s-app", "kube-dns");
  public static final Duration DEFAULT_AWS_DRIFT_PERIOD = Duration.ofMinutes(1);
  public static final String AWS_DRIFT_SWEEP_MODE = "SW_AWS_DRIFT_SWEEP_MODE";
  public static final String DEFAULT_POLICY_MODE = "SW_DEFAULT_POLICY_MODE";
  public static final String OPERATOR_NAMESPACE = "SW_OPERATOR_NAMESPACE";
  public static final String ACCOUNT_IAM_REQUESTS_PER_SECOND = "SW_ACCOUNT_IAM_REQUESTS_PER_SECOND";
  public static final String STS_TIMEOUT = "SW_STS_TIMEOUT";
  public static final String ROLE_QUOTA = "SW_ROLE_QUOTA";
  public static final String ROLE_SWITCH_GRACE_PERIOD = "SW_ROLE_SWITCH_GRACE_PERIOD";
  public static final String EKS_CLUSTER_NAME = "SW_EKS_CLUSTER_NAME";
  public static final String EKS_ENDPOINT = "SW_EKS_ENDPOINT";
  public static final String EKS_REQUESTS_PER_SECOND = "SW_EKS_REQUESTS_PER_SECOND";
  public static final String POD_IDENTITY_ASSOCIATION_QUOTA = "SW_POD_IDENTITY_ASSOCIATION_QUOTA";
  public static final double DEFAULT_EKS_REQUESTS_PER_SECOND = 10;
  public static final int DEFAULT_POD_IDENTITY_ASSOCIATION_QUOTA = 5000;
  public static final Duration DEFAULT_STS_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_ROLE_QUOTA = 1000;
  public static final Duration DEFAULT_ROLE_SWITCH_GRACE_PERIOD = Duration.ofHours(12);

  private static final Pattern CLUSTER_NAME_PATTERN =
      Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$");
  private static final Pattern EKS_CLUSTER_NAME_PATTERN =
      Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$");
  // No dot and no @: they separate and mark the parts of a role name (iam.RoleName).
  private static final Pattern ROLE_PREFIX_PATTERN = Pattern.compile("^[A-Za-z0-9+=,_-]{0,16}$");
  private static final Pattern ROLE_PATH_PATTERN = Pattern.compile("^/([\\x21-\\x7E&&[^/]]+/)*$");
  private static final Pattern REGION_PATTERN = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$");
  private static final Pattern DNS_LABEL_PATTERN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
  private static final Pattern CIDR_PATTERN =
      Pattern.compile(
          "^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$|^[0-9a-fA-F:]+/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$");
  private static final Pattern DURATION_PATTERN = Pattern.compile("^([0-9]+)(s|m|h)$");

  public OperatorSettings {
    watchNamespaces = watchNamespaces == null ? Set.of() : Set.copyOf(watchNamespaces);
    awsEndpoint = awsEndpoint == null ? Optional.empty() : awsEndpoint;
    permissionsBoundaryArn =
        permissionsBoundaryArn == null ? Optional.empty() : permissionsBoundaryArn;
    dnsNamespace = dnsNamespace == null ? DEFAULT_DNS_NAMESPACE : dnsNamespace;
    dnsPodLabels = dnsPodLabels == null ? DEFAULT_DNS_POD_LABELS : Map.copyOf(dnsPodLabels);
    awsApiCidrs = awsApiCidrs == null ? List.of() : List.copyOf(awsApiCidrs);
    maxTrustPolicyCharacters = maxTrustPolicyCharacters > 0 ? maxTrustPolicyCharacters : 2048;
    maxManagedPoliciesPerRole = maxManagedPoliciesPerRole > 0 ? maxManagedPoliciesPerRole : 10;
    leaderElection = leaderElection == null ? LeaderElectionSettings.off() : leaderElection;
    awsDriftPeriod = awsDriftPeriod == null ? DEFAULT_AWS_DRIFT_PERIOD : awsDriftPeriod;
    orphanPolicy = orphanPolicy == null ? OrphanPolicy.Report : orphanPolicy;
    awsDriftSweepMode =
        awsDriftSweepMode == null ? DriftSweepMode.AUTHORIZATION_DETAILS : awsDriftSweepMode;
    defaultPolicyMode =
        defaultPolicyMode == null ? SecureWorkloadPolicySpec.Mode.Enforce : defaultPolicyMode;
    operatorNamespace = operatorNamespace == null ? Optional.empty() : operatorNamespace;
    accountIamRequestsPerSecond =
        accountIamRequestsPerSecond == null ? Map.of() : Map.copyOf(accountIamRequestsPerSecond);
    stsTimeout = stsTimeout == null ? DEFAULT_STS_TIMEOUT : stsTimeout;
    roleQuota = roleQuota > 0 ? roleQuota : DEFAULT_ROLE_QUOTA;
    roleSwitchGracePeriod =
        roleSwitchGracePeriod == null ? DEFAULT_ROLE_SWITCH_GRACE_PERIOD : roleSwitchGracePeriod;
    eksClusterName = eksClusterName == null ? clusterName : eksClusterName;
    eksEndpoint = eksEndpoint == null ? Optional.empty() : eksEndpoint;
    eksRequestsPerSecond =
        eksRequestsPerSecond > 0 ? eksRequestsPerSecond : DEFAULT_EKS_REQUESTS_PER_SECOND;
    podIdentityAssociationQuota =
        podIdentityAssociationQuota > 0
            ? podIdentityAssociationQuota
            : DEFAULT_POD_IDENTITY_ASSOCIATION_QUOTA;
  }

  /** The IAM rate limit of one account: its own setting, else the operator-wide one. */
  public double iamRequestsPerSecond(String accountId) {
    return accountIamRequestsPerSecond.getOrDefault(accountId, iamRequestsPerSecond);
  }

  /** Reads and validates the settings; one exception lists every wrong variable. */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    var errors = new ArrayList<String>();
    var reader = new Reader(env, errors);
    var settings =
        new OperatorSettings(
            reader.required(CLUSTER_NAME, CLUSTER_NAME_PATTERN, "1-32 letters, digits or dashes"),
            reader.parsed(OIDC_ISSUER_URL, null, OperatorSettings::issuer, "an https:// URL"),
            reader.required(AWS_REGION, REGION_PATTERN, "an AWS region such as us-west-2"),
            reader.optional(
                ROLE_PREFIX, "sw-", ROLE_PREFIX_PATTERN, "up to 16 letters, digits or + = , _ -"),
            reader.optional(
                ROLE_PATH, "/secureworkload/", ROLE_PATH_PATTERN, "an IAM path: /, or /a/b/"),
            Optional.ofNullable(
                reader.parsed(AWS_ENDPOINT_URL, "", OperatorSettings::endpoint, "an http(s) URL")),
            Optional.ofNullable(blankToNull(env.get(PERMISSIONS_BOUNDARY_ARN))),
            namespaces(env.get(WATCH_NAMESPACES)),
            reader.parsed(
                RESYNC_PERIOD, "1h", OperatorSettings::duration, "a duration such as 30m or 1h"),
            reader.parsed(
                IAM_REQUESTS_PER_SECOND,
                "10",
                OperatorSettings::positiveDouble,
                "a positive number"),
            reader.parsed(
                MAX_CONCURRENT_RECONCILIATIONS,
                "10",
                OperatorSettings::positiveInt,
                "a positive whole number"),
            reader.parsed(
                METRICS_PORT, "8080", OperatorSettings::port, "a port number, or 0 to disable"),
            reader.optional(
                DNS_NAMESPACE, DEFAULT_DNS_NAMESPACE, DNS_LABEL_PATTERN, "a namespace name"),
            reader.parsed(
                DNS_POD_LABELS,
                "k8s-app=kube-dns",
                OperatorSettings::labels,
                "labels such as k8s-app=kube-dns,tier=dns"),
            reader.parsed(
                AWS_API_CIDRS,
                "",
                OperatorSettings::cidrs,
                "comma-separated CIDR blocks such as 10.0.0.0/16"),
            reader.parsed(ALLOW_UNBOUNDED_ROLES, "false", OperatorSettings::bool, "true or false"),
            reader.parsed(
                MAX_TRUST_POLICY_CHARACTERS,
                "2048",
                OperatorSettings::positiveInt,
                "a positive whole number"),
            reader.parsed(
                MAX_MANAGED_POLICIES_PER_ROLE,
                "10",
                OperatorSettings::positiveInt,
                "a positive whole number"),
            leaderElection(env, reader),
            reader.parsed(
                AWS_DRIFT_PERIOD,
                "1m",
                OperatorSettings::positiveDuration,
                "a duration such as 30s or 1m"),
            reader.parsed(ORPHAN_POLICY, "Report", OrphanPolicy::valueOf, "Report or Delete"),
            reader.parsed(
                AWS_DRIFT_SWEEP_MODE,
                DriftSweepMode.AUTHORIZATION_DETAILS.value(),
                DriftSweepMode::parse,
                "authorization-details or list-roles"),
            reader.parsed(
                DEFAULT_POLICY_MODE,
                SecureWorkloadPolicySpec.Mode.Enforce.name(),
                SecureWorkloadPolicySpec.Mode::valueOf,
                "Enforce or Audit"),
            Optional.ofNullable(blankToNull(env.get(OPERATOR_NAMESPACE)))
                .map(
                    ns ->
                        reader.check(
                            OPERATOR_NAMESPACE, ns, DNS_LABEL_PATTERN, "a namespace name")),
            reader.parsed(
                ACCOUNT_IAM_REQUESTS_PER_SECOND,
                "",
                OperatorSettings::accountRates,
                "account=rate pairs such as 111122223333=5,444455556666=20"),
            reader.parsed(
                STS_TIMEOUT, "10s", OperatorSettings::positiveDuration, "a duration such as 10s"),
            reader.parsed(
                ROLE_QUOTA, "1000", OperatorSettings::positiveInt, "a positive whole number"),
            reader.parsed(
                ROLE_SWITCH_GRACE_PERIOD,
                "12h",
                OperatorSettings::positiveDuration,
                "a duration such as 30m or 12h"),
            // Unset: the constructor falls back to SW_CLUSTER_NAME.
            Optional.ofNullable(blankToNull(env.get(EKS_CLUSTER_NAME)))
                .map(
                    name ->
                        reader.check(
                            EKS_CLUSTER_NAME,
                            name,
                            EKS_CLUSTER_NAME_PATTERN,
                            "an EKS cluster name (1-100 letters, digits, dashes or underscores)"))
                .orElse(null),
            Optional.ofNullable(
                reader.parsed(EKS_ENDPOINT, "", OperatorSettings::endpoint, "an http(s) URL")),
            reader.parsed(
                EKS_REQUESTS_PER_SECOND,
                "10",
                OperatorSettings::positiveDouble,
                "a positive number"),
            reader.parsed(
                POD_IDENTITY_ASSOCIATION_QUOTA,
                "5000",
                OperatorSettings::positiveInt,
                "a positive whole number"));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Invalid operator settings: " + String.join("; ", errors));
    }
    return settings;
  }

  private static LeaderElectionSettings leaderElection(Map<String, String> env, Reader reader) {
    boolean on = reader.parsed(LEADER_ELECTION, "off", OperatorSettings::onOff, "on or off");
    var namespace =
        Optional.ofNullable(blankToNull(env.get(LEADER_ELECTION_NAMESPACE)))
            .map(
                ns ->
                    reader.check(
                        LEADER_ELECTION_NAMESPACE, ns, DNS_LABEL_PATTERN, "a namespace name"));
    return on
        ? LeaderElectionSettings.on(namespace, blankToNull(env.get(POD_NAME)))
        : LeaderElectionSettings.off();
  }

  private static boolean onOff(String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  /** The partition in ARNs, from the region. */
  public String partition() {
    if (awsRegion.startsWith("cn-")) {
      return "aws-cn";
    }
    if (awsRegion.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }

  /** The issuer as IAM names it: host and path, without the scheme. */
  public String oidcProviderHostPath() {
    var path = oidcIssuerUrl.getPath() == null ? "" : oidcIssuerUrl.getPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return oidcIssuerUrl.getHost()
        + (oidcIssuerUrl.getPort() > 0 ? ":" + oidcIssuerUrl.getPort() : "")
        + path;
  }

  private static URI issuer(String value) {
    var uri = URI.create(value);
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null) {
      throw new IllegalArgumentException();
    }
    return uri;
  }

  private static URI endpoint(String value) {
    var uri = URI.create(value);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException();
    }
    return uri;
  }

  private static Duration duration(String value) {
    var matcher = DURATION_PATTERN.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException();
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  private static boolean bool(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  private static Duration positiveDuration(String value) {
    var parsed = duration(value);
    if (parsed.isZero()) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static double positiveDouble(String value) {
    double parsed = Double.parseDouble(value);
    if (!(parsed > 0)) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static int positiveInt(String value) {
    int parsed = Integer.parseInt(value);
    if (parsed <= 0) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static int port(String value) {
    int parsed = Integer.parseInt(value);
    if (parsed < 0 || parsed > 65535) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static Map<String, String> labels(String value) {
    var labels = new java.util.LinkedHashMap<String, String>();
    for (var pair : value.split(",")) {
      var parts = pair.trim().split("=", 2);
      if (parts.length != 2 || parts[0].isBlank()) {
        throw new IllegalArgumentException();
      }
      labels.put(parts[0].trim(), parts[1].trim());
    }
    return labels;
  }

  private static Map<String, Double> accountRates(String value) {
    var rates = new java.util.LinkedHashMap<String, Double>();
    for (var pair : value.split(",")) {
      var parts = pair.trim().split("=", 2);
      if (parts.length != 2 || !parts[0].trim().matches("[0-9]{12}")) {
        throw new IllegalArgumentException();
      }
      rates.put(parts[0].trim(), positiveDouble(parts[1].trim()));
    }
    return rates;
  }

  private static List<String> cidrs(String value) {
    var cidrs =
        Arrays.stream(value.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    if (!cidrs.stream().allMatch(c -> CIDR_PATTERN.matcher(c).matches())) {
      throw new IllegalArgumentException();
    }
    return cidrs;
  }

  private static Set<String> namespaces(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Collects every problem instead of stopping at the first. */
  private record Reader(Map<String, String> env, List<String> errors) {

    String required(String name, Pattern pattern, String expected) {
      var value = blankToNull(env.get(name));
      if (value == null) {
        errors.add(name + " is required (" + expected + ")");
        return null;
      }
      return check(name, value, pattern, expected);
    }

    String optional(String name, String defaultValue, Pattern pattern, String expected) {
      var value = blankToNull(env.get(name));
      return check(name, value == null ? defaultValue : value, pattern, expected);
    }

    <T> T parsed(String name, String defaultValue, Function<String, T> parser, String expected) {
      var value = blankToNull(env.get(name));
      if (value == null) {
        value = defaultValue;
      }
      if (value == null) {
        errors.add(name + " is required (" + expected + ")");
        return null;
      }
      if (value.isEmpty()) {
        return null;
      }
      try {
        return parser.apply(value);
      } catch (RuntimeException e) {
        errors.add(name + "=" + value + " is not " + expected);
        // The error is reported once every variable is read; the default keeps primitives set.
        return defaultValue == null || defaultValue.isEmpty() ? null : parser.apply(defaultValue);
      }
    }

    String check(String name, String value, Pattern pattern, String expected) {
      if (!pattern.matcher(value).matches()) {
        errors.add(name + "=" + value + " is not " + expected);
      }
      return value;
    }
  }
}
