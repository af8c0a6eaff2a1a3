package io.secureworkload.operator.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import io.secureworkload.operator.testsupport.eks.EksDouble;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code make demo}: the operator on the embedded default. A local kube-apiserver and etcd, moto as
 * AWS, an EKS double for the Pod Identity associations, the operator in this JVM, and the examples
 * applied; then it prints what the operator made and keeps running (or exits when DEMO_EXIT=1).
 */
public final class LocalDemo {

  static final String NAMESPACE = "demo";
  static final String CLUSTER = "demo";
  static final String ISSUER =
      "https://oidc.eks.us-west-2.amazonaws.com/id/DEMO0123456789ABCDEF0123456789AB";

  /** Where the demo pretends the VPC endpoints for STS and Secrets Manager live. */
  static final String AWS_API_CIDR = "10.0.100.0/24";

  static final String BOUNDARY_NAME = "secureworkload-boundary";
  static final String BOUNDARY_ARN =
      "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":policy/" + BOUNDARY_NAME;

  /** What a workload role of the demo may do at most, whatever its own statements say. */
  private static final String BOUNDARY_DOCUMENT =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "secretsmanager:GetSecretValue",
          "secretsmanager:DescribeSecret", "ssm:GetParameters", "kms:Decrypt", "sqs:*", "sns:Publish",
          "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"], "Resource": "*"}]}
      """;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private LocalDemo() {}

  public static void main(String[] args) throws Exception {
    var repo = TestPaths.repoRoot();
    var demoDir = Files.createDirectories(repo.resolve(".demo"));

    say("Starting a local Kubernetes control plane (etcd + kube-apiserver)...");
    var apiServer = KubeApiServer.get();
    var kubeconfig = demoDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, apiServer.kubeConfigYaml());

    say("Starting the AWS emulator (moto)...");
    var moto = MotoServer.start();
    Runtime.getRuntime().addShutdownHook(new Thread(moto::stop));
    writeEnvironment(repo, demoDir, kubeconfig, moto.endpoint());

    // moto serves no EKS: the Pod Identity associations of pod-identity.yaml go to this double.
    var eks =
        EksDouble.start(moto.endpoint(), MotoServer.REGION, MotoServer.ACCOUNT_ID)
            .addCluster(CLUSTER);
    Runtime.getRuntime().addShutdownHook(new Thread(eks::close));
    say("Started an EKS double for the cluster " + CLUSTER + " at " + eks.endpoint());

    var iam = demoIamClient(moto.endpoint());
    iam.createOpenIDConnectProvider(
        r ->
            r.url(ISSUER)
                .clientIDList("sts.amazonaws.com")
                .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
    say("Created the demo cluster's OIDC provider in the emulator: " + ISSUER);

    iam.createPolicy(
        r ->
            r.policyName(BOUNDARY_NAME)
                .policyDocument(BOUNDARY_DOCUMENT)
                .description("The most any workload role of the demo may do"));
    say("Created the permissions boundary " + BOUNDARY_ARN + " in the emulator");

    var client = apiServer.newClient();
    installCrds(client);
    applyPolicy(client, repo.resolve("examples/policies/demo.yaml"));
    ThirdPartyCrds.install(client);
    say("Installed stand-ins of the SecretProviderClass and SecurityGroupPolicy CRDs (hack/crds/)");

    var settings = settings(moto.endpoint(), eks.endpoint());
    var assembly = OperatorAssembly.onAws(settings, MotoServer.credentials());
    var registry = assembly.registry();
    var running = assembly.start(client);
    say("Operator running; metrics at http://127.0.0.1:" + settings.metricsPort() + "/metrics");

    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    var applied = applyExamples(client, repo.resolve("examples"));
    boolean allReady = awaitReady(client, applied);

    printReport(client, iam, eks, kubeconfig, applied, registry);
    say("");
    say("Kubeconfig:   " + kubeconfig + "   (kubectl: " + KubeApiServer.kubectl() + ")");
    say(
        "AWS settings: "
            + demoDir.resolve("aws.env")
            + "   (aws CLI: "
            + repo.resolve(".venv/bin/aws")
            + ")");
    say(
        "Both at once: source "
            + demoDir.resolve("env.sh")
            + "   then e.g. kubectl get sw -A; aws iam list-roles");

    if ("1".equals(System.getenv("DEMO_EXIT"))) {
      running.close();
      System.exit(allReady ? 0 : 1);
    }
    say("");
    say("The demo keeps running: apply more SecureWorkloads with kubectl. Ctrl-C stops it.");
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    new CountDownLatch(1).await();
  }

  private static OperatorSettings settings(URI awsEndpoint, URI eksEndpoint) {
    return OperatorSettings.builder()
        .clusterName(CLUSTER)
        .oidcIssuerUrl(URI.create(ISSUER))
        .awsRegion(MotoServer.REGION)
        .rolePrefix("sw-")
        .rolePath("/secureworkload/")
        .awsEndpoint(Optional.of(awsEndpoint))
        .eksEndpoint(Optional.of(eksEndpoint))
        .eksClusterName(CLUSTER)
        .permissionsBoundaryArn(Optional.of(BOUNDARY_ARN))
        .watchNamespaces(Set.of())
        .resyncPeriod(Duration.ofMinutes(10))
        .iamRequestsPerSecond(10)
        .maxConcurrentReconciliations(4)
        .metricsPort(MotoServer.freeLoopbackPort())
        .awsApiCidrs(List.of(AWS_API_CIDR))
        .build();
  }

  private static void writeEnvironment(Path repo, Path demoDir, Path kubeconfig, URI awsEndpoint)
      throws IOException {
    var aws =
        String.join(
            "\n",
            "# Points the AWS CLI and SDKs at the demo's AWS emulator.",
            "export AWS_ENDPOINT_URL=" + awsEndpoint,
            "export AWS_ACCESS_KEY_ID=" + MotoServer.ACCESS_KEY_ID,
            "export AWS_SECRET_ACCESS_KEY=" + MotoServer.SECRET_ACCESS_KEY,
            "export AWS_DEFAULT_REGION=" + MotoServer.REGION,
            "");
    Files.writeString(demoDir.resolve("aws.env"), aws);
    var env =
        String.join(
            "\n",
            "# source this file: kubectl and aws then talk to the running demo.",
            "source " + demoDir.resolve("aws.env"),
            "export KUBECONFIG=" + kubeconfig,
            "export PATH="
                + KubeApiServer.kubectl().getParent()
                + ":"
                + repo.resolve(".venv/bin")
                + ":$PATH",
            "");
    Files.writeString(demoDir.resolve("env.sh"), env);
  }

  /** Pretty JSON of a policy document as IAM returns it, for people. */
  private static String pretty(String document) {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      return mapper
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(mapper.readTree(PolicyDocuments.decode(document)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return document;
    }
  }

  private static IamClient demoIamClient(URI endpoint) {
    return IamClient.builder()
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(MotoServer.credentials())
        .endpointOverride(endpoint)
        .build();
  }

  private static void applyPolicy(KubernetesClient client, Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      var policy = client.getKubernetesSerialization().unmarshal(in, SecureWorkloadPolicy.class);
      client.resource(policy).serverSideApply();
      say("Applied the SecureWorkloadPolicy " + policy.getMetadata().getName() + " from " + file);
    }
  }

  private static void installCrds(KubernetesClient client) {
    Crds.installOperatorCrds(client);
    say("Installed the CRDs " + String.join(", ", Crds.OPERATOR_CRDS));
  }

  private static List<String> applyExamples(KubernetesClient client, Path examples)
      throws IOException {
    var names = new ArrayList<String>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(examples)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (var file : files) {
      try (var in = Files.newInputStream(file)) {
        for (HasMetadata resource : client.load(in).items()) {
          resource.getMetadata().setNamespace(NAMESPACE);
          client.resource(resource).inNamespace(NAMESPACE).serverSideApply();
          if (resource instanceof SecureWorkload || "SecureWorkload".equals(resource.getKind())) {
            names.add(resource.getMetadata().getName());
          }
        }
      }
      say("Applied " + repoRelative(file));
    }
    return names;
  }

  private static boolean awaitReady(KubernetesClient client, List<String> names)
      throws InterruptedException {
    var deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (names.stream().allMatch(name -> isReady(client, name))) {
        say("All " + names.size() + " SecureWorkloads are Ready.");
        return true;
      }
      Thread.sleep(500);
    }
    say("Not every SecureWorkload became Ready within " + READY_TIMEOUT.toSeconds() + " s.");
    return false;
  }

  private static boolean isReady(KubernetesClient client, String name) {
    var workload =
        client.resources(SecureWorkload.class).inNamespace(NAMESPACE).withName(name).get();
    return workload != null
        && workload.getStatus() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && Condition.TRUE.equals(c.getStatus()));
  }

  private static void printReport(
      KubernetesClient client,
      IamClient iam,
      EksDouble eks,
      Path kubeconfig,
      List<String> names,
      PrometheusMeterRegistry registry)
      throws IOException, InterruptedException {
    heading("SecureWorkloads (kubectl get sw -n " + NAMESPACE + " -o wide)");
    kubectl(kubeconfig, "get", "sw", "-n", NAMESPACE, "-o", "wide");
    for (var name : names) {
      var workload =
          client.resources(SecureWorkload.class).inNamespace(NAMESPACE).withName(name).get();
      var roleName = workload.getStatus() == null ? null : workload.getStatus().getRoleName();
      if (roleName == null) {
        continue;
      }
      heading("IAM role of " + name + ": " + roleName);
      var role = iam.getRole(r -> r.roleName(roleName)).role();
      say("Trust policy:");
      say(pretty(role.assumeRolePolicyDocument()));
      for (var policyName : iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()) {
        say("Inline policy " + policyName + ":");
        say(
            pretty(
                iam.getRolePolicy(r -> r.roleName(roleName).policyName(policyName))
                    .policyDocument()));
      }
    }
    heading("Every object the operator made in namespace " + NAMESPACE);
    kubectl(
        kubeconfig,
        "get",
        "serviceaccounts,secretproviderclasses,securitygrouppolicies,networkpolicies",
        "-n",
        NAMESPACE,
        "-l",
        "app.kubernetes.io/managed-by=secure-workload-operator");
    heading("ServiceAccounts and their IAM roles");
    kubectl(
        kubeconfig,
        "get",
        "serviceaccounts",
        "-n",
        NAMESPACE,
        "-l",
        "app.kubernetes.io/managed-by=secure-workload-operator",
        "-o",
        "custom-columns=NAME:.metadata.name,ROLE-ARN:.metadata.annotations.eks\\.amazonaws\\.com/role-arn");
    printIdentities(client, iam, eks, names);
    for (var name : names) {
      printChildSpecs(client, name);
    }
    heading("AWS calls made by the operator, by operation and outcome");
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals(io.secureworkload.operator.aws.AwsCalls.METER))
        .map(
            m ->
                String.format(
                    "  %-28s %-14s %4.0f",
                    m.getId().getTag("operation"),
                    m.getId().getTag("outcome"),
                    m.measure().iterator().next().getValue()))
        .sorted()
        .forEach(LocalDemo::say);
  }

  /**
   * Each workload's identity mode and what gives its pods the role: the ServiceAccount's annotation
   * (IRSA) or the Pod Identity association in the EKS double; and whom the role's trust names.
   */
  private static void printIdentities(
      KubernetesClient client, IamClient iam, EksDouble eks, List<String> names) {
    heading(
        "Identity of each SecureWorkload (IRSA: the ServiceAccount's annotation; PodIdentity:"
            + " the association)");
    for (var name : names) {
      var workload =
          client.resources(SecureWorkload.class).inNamespace(NAMESPACE).withName(name).get();
      var status = workload == null ? null : workload.getStatus();
      var identity = status == null ? null : status.getIdentity();
      var mode = identity == null || identity.getMode() == null ? "-" : identity.getMode().name();
      say(name + ": mode " + mode);
      if (workload == null) {
        continue;
      }
      var serviceAccountName = WorkloadRole.serviceAccountName(workload);
      var serviceAccount =
          client.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccountName).get();
      var annotation =
          serviceAccount == null || serviceAccount.getMetadata().getAnnotations() == null
              ? null
              : serviceAccount.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn");
      say(
          "  ServiceAccount "
              + serviceAccountName
              + " eks.amazonaws.com/role-arn: "
              + (annotation == null ? "(none)" : annotation));
      eks.associations().stream()
          .filter(
              a -> NAMESPACE.equals(a.namespace()) && serviceAccountName.equals(a.serviceAccount()))
          .forEach(
              a ->
                  say(
                      "  Pod Identity association "
                          + a.associationId()
                          + ": "
                          + a.namespace()
                          + "/"
                          + a.serviceAccount()
                          + " -> "
                          + a.roleArn()));
      if (identity != null && identity.getAssociationId() != null) {
        say("  status.identity.associationId: " + identity.getAssociationId());
      }
      var roleName = status == null ? null : status.getRoleName();
      if (roleName != null) {
        var trust = iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument();
        say("  Role " + roleName + " trusts: " + trustPrincipals(trust));
      }
    }
  }

  /** The principals of a trust policy, one per statement: {@code {"Service":"..."}}. */
  private static String trustPrincipals(String document) {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      var principals = new ArrayList<String>();
      var statements = mapper.readTree(PolicyDocuments.decode(document)).path("Statement");
      (statements.isArray() ? statements : mapper.createArrayNode().add(statements))
          .forEach(statement -> principals.add(statement.path("Principal").toString()));
      return String.join(", ", principals);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return document;
    }
  }

  private static void printChildSpecs(KubernetesClient client, String name) {
    var children = new ArrayList<HasMetadata>();
    children.add(
        client.resources(SecretProviderClass.class).inNamespace(NAMESPACE).withName(name).get());
    children.add(
        client.resources(SecurityGroupPolicy.class).inNamespace(NAMESPACE).withName(name).get());
    for (var suffix : List.of("-default-deny", "-ingress", "-egress")) {
      children.add(
          client
              .network()
              .v1()
              .networkPolicies()
              .inNamespace(NAMESPACE)
              .withName(name + suffix)
              .get());
    }
    for (var child : children) {
      if (child == null) {
        continue;
      }
      heading(child.getKind() + " " + child.getMetadata().getName() + " (of " + name + ")");
      var spec =
          client.getKubernetesSerialization().convertValue(child, java.util.Map.class).get("spec");
      say(Serialization.asYaml(spec).replaceFirst("^---\\n", "").stripTrailing());
    }
  }

  private static void kubectl(Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(KubeApiServer.kubectl().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    System.out.print(output);
  }

  private static String repoRelative(Path file) {
    return TestPaths.repoRoot().relativize(file.toAbsolutePath().normalize()).toString();
  }

  private static void heading(String title) {
    say("");
    say("== " + title);
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
