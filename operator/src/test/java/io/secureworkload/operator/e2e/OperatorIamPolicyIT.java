package io.secureworkload.operator.e2e;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.aws.AwsCalls;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.RoleName;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.NamespaceWorkloads;
import io.secureworkload.operator.testsupport.OperatorIamPolicy;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The operator's own IAM policy is enough: moto with IAM authorization on, the operator signing
 * with the keys of a user that holds only that policy (its moto variant, see {@link
 * OperatorIamPolicy#motoVariant}), through the whole life of a workload with statements, secrets, a
 * managed policy and the permissions boundary.
 */
class OperatorIamPolicyIT {

  private static final String ACCOUNT = MotoServer.ACCOUNT_ID;
  private static final String BOUNDARY =
      "arn:aws:iam::" + ACCOUNT + ":policy/secureworkload-boundary";
  private static final String MANAGED = "arn:aws:iam::" + ACCOUNT + ":policy/team-read-only";
  // moto lets this many requests through unauthenticated (its own probes among them): enough to
  // make the test's admin; the rest is spent before the operator starts.
  private static final int UNAUTHENTICATED_REQUESTS = 10;

  private static MotoServer moto;
  private static IamClient admin;
  private static StaticCredentialsProvider operatorKeys;
  private static KubernetesClient kube;

  @BeforeAll
  static void awsWithAuthorization() {
    moto =
        MotoServer.start(
            Map.of("INITIAL_NO_AUTH_ACTION_COUNT", String.valueOf(UNAUTHENTICATED_REQUESTS)));
    try (var bootstrap = iam(MotoServer.credentials())) {
      bootstrap.createUser(r -> r.userName("test-admin"));
      bootstrap.putUserPolicy(
          r ->
              r.userName("test-admin")
                  .policyName("everything")
                  .policyDocument(
                      """
                      {"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
                      """));
      var adminKeys = keysOf(bootstrap, "test-admin");
      admin = iam(adminKeys);
      spendUnauthenticatedRequests(bootstrap);
      // The cluster's OIDC provider, as an administrator sets up IRSA before the operator runs.
      moto.provisionClusters(adminKeys);
    }
    admin.createPolicy(r -> r.policyName("secureworkload-boundary").policyDocument(readOnly()));
    admin.createPolicy(r -> r.policyName("team-read-only").policyDocument(readOnly()));
    admin.createUser(r -> r.userName("secure-workload-operator"));
    admin.putUserPolicy(
        r ->
            r.userName("secure-workload-operator")
                .policyName("secure-workload-operator")
                .policyDocument(OperatorIamPolicy.motoVariant(ACCOUNT)));
    operatorKeys = keysOf(admin, "secure-workload-operator");
    kube = KubeApiServer.get().newClient();
    NamespaceWorkloads.installCrds(kube);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (kube != null) {
      kube.close();
    }
    moto.stop();
  }

  @Test
  void authorizationIsOnAndThePolicyGrantsNothingElse() {
    try (var operatorIam = iam(operatorKeys)) {
      assertThatThrownBy(() -> operatorIam.createUser(r -> r.userName("intruder")))
          .isInstanceOf(IamException.class)
          .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(403));
      admin.createRole(
          r ->
              r.roleName("someone-elses-role")
                  .assumeRolePolicyDocument(
                      """
                      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                       "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
                      """));
      assertThatThrownBy(() -> operatorIam.deleteRole(r -> r.roleName("someone-elses-role")))
          .isInstanceOf(IamException.class)
          .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(403));
    }
  }

  @Test
  void theOperatorCreatesUpdatesAndDeletesAWholeWorkloadWithOnlyItsPolicy() {
    var namespace = "iam-policy-" + System.nanoTime();
    var workloads = new NamespaceWorkloads(kube, namespace);
    var settings =
        OperatorTestEnvironment.settings(moto.endpoint())
            .watchNamespaces(Set.of(namespace))
            .permissionsBoundaryArn(Optional.of(BOUNDARY))
            .build();
    var assembly = OperatorAssembly.onAws(settings, operatorKeys);
    var roleName =
        RoleName.derive(settings.rolePrefix(), OperatorTestEnvironment.CLUSTER, namespace, "shop");

    try (var running = assembly.start(KubeApiServer.get().newClient())) {
      workloads.create(workload("shop", spec("s3:GetObject", MANAGED)));
      workloads.awaitReady("shop");

      var role = admin.getRole(r -> r.roleName(roleName)).role();
      assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BOUNDARY);
      assertThat(attached(roleName)).containsExactly(MANAGED);
      assertThat(inlinePolicy(roleName))
          .contains("s3:GetObject")
          .contains("secretsmanager:GetSecretValue");

      workloads.replaceSpec("shop", workload("shop", spec("s3:PutObject", null)));
      workloads.awaitReady("shop");
      assertThat(inlinePolicy(roleName)).contains("s3:PutObject").doesNotContain("s3:GetObject");
      assertThat(attached(roleName)).isEmpty();

      workloads.deleteAndAwaitGone("shop");
      assertThatThrownBy(() -> admin.getRole(r -> r.roleName(roleName)))
          .isInstanceOf(NoSuchEntityException.class);

      // The first look for the role finds none, as it should; nothing else fails.
      assertThat(outcomes(assembly))
          .as("every AWS call the operator made, by operation and outcome")
          .allSatisfy(
              (call, count) ->
                  assertThat(call)
                      .matches(
                          c -> c.endsWith("/success") || c.equals("GetRole/NoSuchEntity"),
                          "a success, or the missing role found missing"));
      assertThat(outcomes(assembly).keySet())
          .contains(
              "CreateRole/success",
              "PutRolePolicy/success",
              "AttachRolePolicy/success",
              "DetachRolePolicy/success",
              "DeleteRole/success");
    }
  }

  /**
   * A retained role's trust is cut when its workload goes, and restored, its marks removed, when a
   * workload of the same namespace adopts it again: the cut's calls are the policy's too.
   */
  @Test
  void aRetainedRoleIsCutAndAdoptedAgainWithOnlyItsPolicy() {
    var namespace = "iam-policy-" + System.nanoTime();
    var workloads = new NamespaceWorkloads(kube, namespace);
    var settings =
        OperatorTestEnvironment.settings(moto.endpoint())
            .watchNamespaces(Set.of(namespace))
            .permissionsBoundaryArn(Optional.of(BOUNDARY))
            .build();
    var assembly = OperatorAssembly.onAws(settings, operatorKeys);
    var roleName =
        RoleName.derive(
            settings.rolePrefix(), OperatorTestEnvironment.CLUSTER, namespace, "keeper");
    var keeper =
        """
        selector: {matchLabels: {app: keeper}}
        iam:
          statements: [{actions: [s3:GetObject], resources: ["arn:aws:s3:::shop/*"]}]
          deletionPolicy: Retain
        """;

    try (var running = assembly.start(KubeApiServer.get().newClient())) {
      workloads.create(workload("keeper", keeper));
      workloads.awaitReady("keeper");
      workloads.deleteAndAwaitGone("keeper");
      assertThat(trustPolicy(roleName)).contains(TrustCut.SUBJECT);
      // What the garbage collector would do, which a bare API server does not.
      kube.serviceAccounts().inNamespace(namespace).withName("keeper").delete();

      workloads.create(workload("keeper", keeper));
      workloads.awaitReady("keeper");
      assertThat(trustPolicy(roleName))
          .contains("system:serviceaccount:" + namespace + ":keeper")
          .doesNotContain(TrustCut.SUBJECT);
      assertThat(admin.listRoleTags(r -> r.roleName(roleName)).tags())
          .extracting(Tag::key)
          .doesNotContain(TrustCut.TAG, WorkloadRole.TAG_RETAINED);

      assertThat(outcomes(assembly))
          .as("every AWS call the operator made, by operation and outcome")
          .allSatisfy(
              (call, count) ->
                  assertThat(call)
                      .matches(
                          c -> c.endsWith("/success") || c.equals("CreateRole/EntityAlreadyExists"),
                          "a success, or the kept role found there"));
      assertThat(outcomes(assembly).keySet())
          .contains("UpdateAssumeRolePolicy/success", "TagRole/success", "UntagRole/success");
      workloads.replaceSpec(
          "keeper", workload("keeper", keeper.replace("deletionPolicy: Retain", "")));
      workloads.deleteAndAwaitGone("keeper");
    }
  }

  private static String trustPolicy(String roleName) {
    return PolicyDocuments.decode(
        admin.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument());
  }

  private static String spec(String action, String managedPolicy) {
    return """
        selector: {matchLabels: {app: shop}}
        iam:
          statements:
          - actions: [%s]
            resources: ["arn:aws:s3:::shop/*"]
          managedPolicyArns: [%s]
        secrets:
          region: us-west-2
          objects:
          - {name: prod/shop/db, type: secretsmanager}
        """
        .formatted(action, managedPolicy == null ? "" : managedPolicy);
  }

  private static java.util.List<String> attached(String roleName) {
    return admin.listAttachedRolePolicies(r -> r.roleName(roleName)).attachedPolicies().stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  private static String inlinePolicy(String roleName) {
    return PolicyDocuments.decode(
        admin
            .getRolePolicy(r -> r.roleName(roleName).policyName("secureworkload"))
            .policyDocument());
  }

  /** Calls of the operator as "Operation/outcome" → count. */
  private static Map<String, Double> outcomes(OperatorAssembly assembly) {
    var outcomes = new TreeMap<String, Double>();
    for (Counter counter : assembly.registry().find(AwsCalls.METER).counters()) {
      outcomes.merge(
          counter.getId().getTag("operation") + "/" + counter.getId().getTag("outcome"),
          counter.count(),
          Double::sum);
    }
    return outcomes;
  }

  /** Calls with keys moto does not know until it checks them: from then on, it authorizes. */
  private static void spendUnauthenticatedRequests(IamClient unknownKeys) {
    for (int i = 0; i < UNAUTHENTICATED_REQUESTS; i++) {
      try {
        unknownKeys.listUsers();
      } catch (IamException e) {
        assertThat(e.statusCode()).as("moto's answer to unknown keys").isEqualTo(403);
        return;
      }
    }
    throw new AssertionError("moto never switched its IAM authorization on");
  }

  private static StaticCredentialsProvider keysOf(IamClient iam, String user) {
    var key = iam.createAccessKey(r -> r.userName(user)).accessKey();
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
  }

  private static IamClient iam(StaticCredentialsProvider credentials) {
    return IamClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  private static String readOnly() {
    return """
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
        """;
  }
}
