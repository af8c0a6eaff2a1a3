package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.aws.AwsCalls;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.RoleName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The operator as the integration tests run it: the real assembly, a real API server, and the AWS
 * SDK pointed at moto. Counts every AWS call the operator makes, by operation.
 */
public final class OperatorTestEnvironment {

  public static final String CLUSTER = "itcluster";

  /** The permissions boundary of every role in the ITs. */
  public static final String BOUNDARY =
      "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":policy/secureworkload-boundary";

  /**
   * A namespace labelled with this key is left to the guardrails its test sets up; every other one
   * is governed by {@link #PERMISSIVE_POLICY}, so that tests about something else can use managed
   * policies, security groups, Retain and secrets of any name.
   */
  public static final String OWN_GUARDRAILS_LABEL = "secureworkload.io/test-guardrails";

  /**
   * The policy of the namespaces of tests not about guardrails: wide, but still above the floor,
   * and room for the full-size fault rollouts (the default allows 50 workloads per namespace).
   */
  public static final String PERMISSIVE_POLICY =
      """
      apiVersion: secureworkload.io/v1alpha1
      kind: SecureWorkloadPolicy
      metadata: {name: it-permissive}
      spec:
        namespaceSelector:
          matchExpressions: [{key: %s, operator: DoesNotExist}]
        iam:
          permissionsBoundaryArn: %s
          # Widened explicitly: unset allow-lists are the closed default's.
          allowedActions: ["*"]
          allowedResources: ["*"]
          wildcardResourceActions: ["*"]
          allowedManagedPolicyArns: ["arn:aws:iam::*:policy/*"]
          allowRetain: true
          maxSessionDurationSeconds: 43200
        secrets:
          allowedNames: ["*"]
          allowedKmsKeys: ["*"]
        securityGroups:
          allowedGroupIds: ["sg-*"]
        limits:
          maxWorkloadsPerNamespace: 1000
      """
          .formatted(OWN_GUARDRAILS_LABEL, BOUNDARY);

  public static final String AWS_API_CIDR = "10.0.100.0/24";
  public static final String ISSUER =
      "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

  private final MeterRegistry metrics;
  private final OperatorSettings settings;
  private final OperatorAssembly assembly;
  private final IamClient testIam;

  public OperatorTestEnvironment(MotoServer moto) {
    this(moto.endpoint(), moto.endpoint(), OperatorSettings.DEFAULT_AWS_DRIFT_PERIOD);
  }

  /**
   * The operator's AWS clients on {@code operatorEndpoint} (a {@link
   * io.secureworkload.operator.testsupport.faults.FaultProxy} in front of moto, say), the test's
   * own IAM client on {@code motoEndpoint}, unharmed.
   *
   * @param awsDriftPeriod how often the AWS drift sweep runs; short for a test that waits for it
   */
  public OperatorTestEnvironment(URI operatorEndpoint, URI motoEndpoint, Duration awsDriftPeriod) {
    this(operatorEndpoint, motoEndpoint, builder -> builder.awsDriftPeriod(awsDriftPeriod));
  }

  /** As above, with any of the integration tests' settings changed. */
  public OperatorTestEnvironment(
      URI operatorEndpoint,
      URI motoEndpoint,
      UnaryOperator<OperatorSettings.OperatorSettingsBuilder> changes) {
    this.settings = changes.apply(settings(operatorEndpoint)).build();
    this.assembly = OperatorAssembly.onAws(settings, MotoServer.credentials());
    this.metrics = assembly.registry();
    this.testIam =
        IamClient.builder()
            .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
            .credentialsProvider(MotoServer.credentials())
            .endpointOverride(motoEndpoint)
            .build();
  }

  public OperatorSettings settings() {
    return settings;
  }

  /** The integration tests' settings, against this AWS endpoint; a test may change any of them. */
  public static OperatorSettings.OperatorSettingsBuilder settings(URI awsEndpoint) {
    return OperatorSettings.builder()
        .clusterName(CLUSTER)
        .oidcIssuerUrl(URI.create(ISSUER))
        .awsRegion(MotoServer.REGION)
        .rolePrefix("sw-")
        .rolePath("/secureworkload/")
        .awsEndpoint(Optional.of(awsEndpoint))
        .permissionsBoundaryArn(Optional.empty())
        .watchNamespaces(Set.of())
        .resyncPeriod(Duration.ofHours(1))
        .iamRequestsPerSecond(50)
        .maxConcurrentReconciliations(4)
        .metricsPort(0)
        .awsApiCidrs(List.of(AWS_API_CIDR));
  }

  /**
   * The operator, running in this JVM against the shared API server, one namespace per test. The
   * operator's CRDs and {@link #PERMISSIVE_POLICY} are in place before it starts.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public LocallyRunOperatorExtension operatorExtension() {
    var client = KubeApiServer.get().newClient();
    prepareCluster(client);
    assembly.readExternalIdsWith(client);
    return LocallyRunOperatorExtension.builder()
        .withKubernetesClient(client)
        .withConfigurationService(assembly.configurationService())
        .withReconciler(assembly.reconciler(), (java.util.function.Consumer) assembly.controller())
        .waitForNamespaceDeletion(false)
        .build();
  }

  /** The operator's CRDs and {@link #PERMISSIVE_POLICY}, in place before an operator starts. */
  public static void prepareCluster(KubernetesClient client) {
    Crds.installOperatorCrds(client);
    client
        .resource(Serialization.unmarshal(PERMISSIVE_POLICY, SecureWorkloadPolicy.class))
        .serverSideApply();
  }

  /** An IAM client for the test's own looks at moto; its calls are not counted. */
  public IamClient iamClient() {
    return testIam;
  }

  /** The name the operator gives the IAM role of this workload. */
  public String roleName(String namespace, String workloadName) {
    return RoleName.derive(settings.rolePrefix(), CLUSTER, namespace, workloadName);
  }

  /** The role's inline policy as moto holds it, decoded. */
  public String inlinePolicy(String roleName) {
    return PolicyDocuments.decode(
        testIam
            .getRolePolicy(r -> r.roleName(roleName).policyName("secureworkload"))
            .policyDocument());
  }

  /** Reconciliations the operator started so far, all workloads together (JOSDK's counter). */
  public long reconciliationsStarted() {
    return (long)
        metrics.getMeters().stream()
            .filter(m -> m.getId().getName().endsWith("reconciliations.started"))
            .filter(Counter.class::isInstance)
            .mapToDouble(m -> ((Counter) m).count())
            .sum();
  }

  /** AWS calls the operator made with this operation so far. */
  public long calls(String operation) {
    return (long)
        metrics.find(AwsCalls.METER).tag("operation", operation).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
  }

  /** AWS calls the operator made with this operation into this account so far. */
  public long calls(String operation, String account) {
    return (long)
        metrics
            .find(AwsCalls.METER)
            .tag("operation", operation)
            .tag("account", account)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
  }

  /** The operator's metrics. */
  public MeterRegistry metrics() {
    return metrics;
  }

  /** AWS calls the operator made that change something (anything but Get*, List*). */
  public long writes() {
    return (long)
        metrics.find(AwsCalls.METER).counters().stream()
            .filter(c -> isWrite(c.getId().getTag("operation")))
            .mapToDouble(Counter::count)
            .sum();
  }

  private static boolean isWrite(String operation) {
    return !(operation.startsWith("Get") || operation.startsWith("List"));
  }
}
