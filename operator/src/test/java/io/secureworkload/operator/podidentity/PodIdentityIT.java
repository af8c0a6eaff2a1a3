package io.secureworkload.operator.podidentity;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.dependent.SecretProviderClassDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPods;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.eks.EksDouble;
import io.secureworkload.operator.testsupport.eks.StoredAssociation;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EKS Pod Identity on a real API server, moto for IAM and the EKS double for the associations (the
 * real SDK over HTTP): the role trusts pods.eks.amazonaws.com bound by the session tags, the
 * association is made, adopted, repaired and deleted, never taken from another owner, counted
 * against the quota, and a switch between modes leaves no moment without usable credentials.
 */
class PodIdentityIT {

  private static final String CLUSTER = OperatorTestEnvironment.CLUSTER;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  static final EksDouble EKS =
      EksDouble.start(MOTO.server().endpoint(), MotoServer.REGION, MotoServer.ACCOUNT_ID)
          .addCluster(CLUSTER);

  private static final int QUOTA = 3;

  private final OperatorTestEnvironment env =
      new OperatorTestEnvironment(
          MOTO.server().endpoint(),
          MOTO.server().endpoint(),
          settings ->
              settings
                  .awsDriftPeriod(Duration.ofSeconds(2))
                  .eksEndpoint(Optional.of(EKS.endpoint()))
                  .eksClusterName(CLUSTER)
                  .podIdentityAssociationQuota(QUOTA)
                  .roleSwitchGracePeriod(Duration.ofHours(1)));

  @RegisterExtension final LocallyRunOperatorExtension operator = env.operatorExtension();

  private final KubernetesClient admin = KubeApiServer.get().newClient();
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
  private WorkloadAssertions workloads;

  @BeforeEach
  void freshEks() {
    EKS.reset();
    workloads = new WorkloadAssertions(operator);
  }

  @AfterEach
  void cleanUp() {
    watcher.shutdownNow();
    admin.resources(SecureWorkloadPolicy.class).withName(policyName()).delete();
    admin.close();
  }

  @AfterAll
  static void stopEks() {
    EKS.close();
  }

  @Test
  void theRoleTrustsPodIdentityOnlyForThisWorkloadAndTheAssociationBindsIt() {
    ThirdPartyCrds.install(admin);
    operator.create(
        workload(
            "api",
            """
            selector: {matchLabels: {app: api}}
            identity: {mode: PodIdentity}
            secrets:
              objects: [{name: %s/api/db, type: secretsmanager}]
            network: {}
            """
                .formatted(operator.getNamespace())));
    var ready = workloads.awaitReady("api");
    var roleArn = ready.getStatus().getRoleArn();

    var statement = onlyStatement(trust("api"));
    assertThat(statement.path("Principal").path("Service").asText())
        .isEqualTo("pods.eks.amazonaws.com");
    assertThat(actions(statement)).containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");
    var equals = statement.path("Condition").path("StringEquals");
    assertThat(equals.path("aws:RequestTag/kubernetes-namespace").asText())
        .isEqualTo(operator.getNamespace());
    assertThat(equals.path("aws:RequestTag/kubernetes-service-account").asText()).isEqualTo("api");
    assertThat(equals.path("aws:RequestTag/eks-cluster-arn").asText())
        .isEqualTo(
            "arn:aws:eks:"
                + MotoServer.REGION
                + ":"
                + MotoServer.ACCOUNT_ID
                + ":cluster/"
                + CLUSTER);

    var association = onlyAssociation();
    assertThat(association.namespace()).isEqualTo(operator.getNamespace());
    assertThat(association.serviceAccount()).isEqualTo("api");
    assertThat(association.roleArn()).isEqualTo(roleArn);
    assertThat(association.disableSessionTags()).isFalse();
    assertThat(association.targetRoleArn()).isNull();
    assertThat(association.tags()).containsEntry(WorkloadRole.TAG_NAME, "api");
    assertThat(EKS.requests("CreatePodIdentityAssociation"))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).containsEntry("disableSessionTags", false));
    assertThat(ready.getStatus().getIdentity().getMode()).isEqualTo(IdentityMode.PodIdentity);
    assertThat(ready.getStatus().getIdentity().getAssociationId())
        .isEqualTo(association.associationId());
    assertThat(roleAnnotation("api")).as("no IRSA annotation in Pod Identity mode").isNull();
    assertThat(
            operator
                .get(SecretProviderClass.class, "api")
                .getSpec()
                .getParameters()
                .get(SecretProviderClassDependentResource.USE_POD_IDENTITY))
        .isEqualTo("true");
    var agent =
        operator.get(NetworkPolicy.class, "api-egress").getSpec().getEgress().stream()
            .filter(rule -> rule.getPorts().get(0).getPort().getIntVal() == 80)
            .toList();
    assertThat(agent)
        .as("the pods reach the node's Pod Identity agent")
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getTo())
                    .extracting(peer -> peer.getIpBlock().getCidr())
                    .containsExactly("169.254.170.23/32", "fd00:ec2::23/128"));
    assertThat(workloads.normalEvents("api"))
        .singleElement()
        .asString()
        .contains("Pod Identity association " + association.associationId());
  }

  @Test
  void aSettledPodIdentityWorkloadCostsNoWriteAcrossSweeps() throws Exception {
    operator.create(
        workload("api", "selector: {matchLabels: {app: api}}\nidentity: {mode: PodIdentity}\n"));
    workloads.awaitReady("api");
    // The status write that follows Ready, then quiet.
    Thread.sleep(2_000);
    var settled = operator.get(SecureWorkload.class, "api").getMetadata().getResourceVersion();
    var serviceAccount =
        operator.get(ServiceAccount.class, "api").getMetadata().getResourceVersion();
    int describesBefore = EKS.requests("DescribePodIdentityAssociation").size();

    // Three drift periods: each sweep lists and describes, and finds nothing to repair.
    Thread.sleep(6_500);

    assertThat(EKS.requests("CreatePodIdentityAssociation")).hasSize(1);
    assertThat(EKS.requests("UpdatePodIdentityAssociation")).isEmpty();
    assertThat(EKS.requests("DeletePodIdentityAssociation")).isEmpty();
    assertThat(EKS.requests("DescribePodIdentityAssociation").size())
        .as("the sweeps looked")
        .isGreaterThan(describesBefore);
    assertThat(operator.get(SecureWorkload.class, "api").getMetadata().getResourceVersion())
        .isEqualTo(settled);
    assertThat(operator.get(ServiceAccount.class, "api").getMetadata().getResourceVersion())
        .isEqualTo(serviceAccount);
    assertThat(env.calls("UpdateAssumeRolePolicy")).isZero();
  }

  @Test
  void itsOwnAssociationIsAdoptedAndAnotherOwnersIsLeftAlone() {
    var namespaceUid =
        admin.namespaces().withName(operator.getNamespace()).get().getMetadata().getUid();
    var workloadRole = new WorkloadRole(env.settings(), () -> MotoServer.ACCOUNT_ID);
    var adoptable =
        workload("api", "selector: {matchLabels: {app: api}}\nidentity: {mode: PodIdentity}\n");
    adoptable.getMetadata().setNamespace(operator.getNamespace());
    var ours =
        EKS.createByHand(
            CLUSTER,
            operator.getNamespace(),
            "api",
            "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/somewhere-else",
            workloadRole.ownershipTags(adoptable, namespaceUid));
    var foreign =
        EKS.createByHand(
            CLUSTER,
            operator.getNamespace(),
            "web",
            "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/someone-elses",
            Map.of("team", "web"));

    operator.create(adoptable);
    operator.create(
        workload("web", "selector: {matchLabels: {app: web}}\nidentity: {mode: PodIdentity}\n"));

    var ready = workloads.awaitReady("api");
    assertThat(ready.getStatus().getIdentity().getAssociationId()).isEqualTo(ours.associationId());
    assertThat(EKS.association(ours.associationId()).orElseThrow().roleArn())
        .isEqualTo(ready.getStatus().getRoleArn());
    var refused =
        workloads.awaitCondition("web", "Ready", "False", "PodIdentityAssociationNotOwned");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains(foreign.associationId())
        .contains(operator.getNamespace() + "/web");
    assertThat(WorkloadAssertions.condition(refused, "Stalled").getStatus())
        .as("kstatus: waits for a person")
        .isEqualTo("True");
    assertThat(EKS.requests("CreatePodIdentityAssociation")).isEmpty();
    assertThat(EKS.association(foreign.associationId()).orElseThrow()).isEqualTo(foreign);

    // Nor does it keep the refused workload from being deleted, or go with it.
    operator.delete(operator.get(SecureWorkload.class, "web"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> operator.get(SecureWorkload.class, "web") == null);
    assertThat(EKS.association(foreign.associationId()).orElseThrow()).isEqualTo(foreign);
    assertThat(EKS.requests("DeletePodIdentityAssociation")).isEmpty();
  }

  @Test
  void anAssociationDeletedOrRepointedAndATrustWidenedOutsideTheOperatorAreRepaired()
      throws Exception {
    operator.create(
        workload("api", "selector: {matchLabels: {app: api}}\nidentity: {mode: PodIdentity}\n"));
    var roleArn = workloads.awaitReady("api").getStatus().getRoleArn();
    var roleName = env.roleName(operator.getNamespace(), "api");
    var first = onlyAssociation();

    EKS.repointByHand(first.associationId(), "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/x");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> roleArn.equals(EKS.association(first.associationId()).orElseThrow().roleArn()));

    EKS.deleteByHand(first.associationId());
    await().atMost(Duration.ofSeconds(30)).until(() -> EKS.associations().size() == 1);
    var second = onlyAssociation();
    assertThat(second.associationId()).isNotEqualTo(first.associationId());
    assertThat(second.roleArn()).isEqualTo(roleArn);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> second.associationId().equals(identityOf("api").getAssociationId()));

    var widened =
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
         "Principal":{"Service":"pods.eks.amazonaws.com"},
         "Action":["sts:AssumeRole","sts:TagSession"]}]}""";
    env.iamClient().updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(widened));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !onlyStatement(trust("api")).path("Condition").isMissingNode());
    assertThat(workloads.events("api")).anyMatch(e -> e.contains("DriftRepaired"));
  }

  @Test
  void aSecondWorkloadCannotBindAServiceAccountThatIsAnothers() {
    operator.create(
        workload("api", "selector: {matchLabels: {app: api}}\nidentity: {mode: PodIdentity}\n"));
    var roleArn = workloads.awaitReady("api").getStatus().getRoleArn();

    operator.create(
        workload(
            "thief",
            """
            selector: {matchLabels: {app: thief}}
            identity: {mode: PodIdentity}
            serviceAccount: {name: api}
            """));

    workloads.awaitCondition("thief", "Ready", "False", "ServiceAccountConflict");
    assertThat(onlyAssociation().roleArn()).isEqualTo(roleArn);
    assertThat(EKS.requests("CreatePodIdentityAssociation")).hasSize(1);
    assertThat(EKS.requests("UpdatePodIdentityAssociation")).isEmpty();
  }

  @Test
  void aPolicyThatRequiresPodIdentityGivesItByDefaultAndRefusesIrsa() {
    ownGuardrails(
        """
          identity:
            allowedModes: [PodIdentity]
        """);

    operator.create(workload("api", "selector: {matchLabels: {app: api}}\n"));
    operator.create(
        workload("old", "selector: {matchLabels: {app: old}}\nidentity: {mode: IRSA}\n"));

    var ready = workloads.awaitReady("api");
    assertThat(ready.getStatus().getIdentity().getMode()).isEqualTo(IdentityMode.PodIdentity);
    assertThat(onlyAssociation().serviceAccount()).isEqualTo("api");
    var refused = workloads.awaitCondition("old", "Ready", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("spec.identity.mode")
        .contains("PodIdentity");
    assertThat(MotoServer.roleExists(env.iamClient(), env.roleName(operator.getNamespace(), "old")))
        .as("no role for a refused spec")
        .isFalse();
  }

  @Test
  void theAssociationQuotaIsCheckedBeforeAnyCallToMakeOne() {
    for (int i = 0; i < QUOTA - 1; i++) {
      EKS.createByHand(
          CLUSTER, "elsewhere", "sa-" + i, "arn:aws:iam::123456789012:role/r", Map.of());
    }
    operator.create(
        workload(
            "first", "selector: {matchLabels: {app: first}}\nidentity: {mode: PodIdentity}\n"));
    workloads.awaitReady("first");

    operator.create(
        workload(
            "second", "selector: {matchLabels: {app: second}}\nidentity: {mode: PodIdentity}\n"));

    var refused =
        workloads.awaitCondition("second", "Ready", "False", "PodIdentityAssociationQuotaReached");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("quota is " + QUOTA);
    assertThat(WorkloadAssertions.condition(refused, "Reconciling").getStatus())
        .as("kstatus: retried")
        .isEqualTo("True");
    assertThat(EKS.requests("CreatePodIdentityAssociation")).hasSize(1);
    assertThat(workloads.events("second")).contains("ReconcileFailed");
    assertThat(
            env.metrics()
                .get("secureworkload.pod.identity.associations")
                .tag("cluster", CLUSTER)
                .gauge()
                .value())
        .isEqualTo(QUOTA);
    assertThat(env.metrics().get("secureworkload.pod.identity.associations.quota").gauge().value())
        .isEqualTo(QUOTA);
  }

  @Test
  void theAssociationGoesWithItsWorkload() {
    operator.create(
        workload("api", "selector: {matchLabels: {app: api}}\nidentity: {mode: PodIdentity}\n"));
    workloads.awaitReady("api");
    var roleName = env.roleName(operator.getNamespace(), "api");

    operator.delete(operator.get(SecureWorkload.class, "api"));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> operator.get(SecureWorkload.class, "api") == null);
    assertThat(EKS.associations()).isEmpty();
    assertThat(MotoServer.roleExists(env.iamClient(), roleName)).isFalse();
  }

  @Test
  void switchingBothWaysKeepsAUsableIdentityAndRemovesTheOldOneOnlyAfterOlderPodsAreGone()
      throws Exception {
    operator.create(workload("api", "selector: {matchLabels: {app: api}}\n"));
    var roleArn = workloads.awaitReady("api").getStatus().getRoleArn();
    var observations = watch("api", roleArn);

    // IRSA to Pod Identity, with a pod that got IRSA's environment.
    podStartedNow("irsa-pod");
    setMode("api", IdentityMode.PodIdentity);
    awaitIdentity(i -> i.getMode() == IdentityMode.PodIdentity && i.getPreviousMode() != null);
    assertThat(roleAnnotation("api")).as("kept for the older pod").isEqualTo(roleArn);
    assertThat(trustModes("api")).containsExactlyInAnyOrder("IRSA", "PodIdentity");
    Thread.sleep(3_000);
    assertThat(roleAnnotation("api")).isEqualTo(roleArn);
    deletePod("irsa-pod");
    awaitIdentity(i -> i.getPreviousMode() == null);
    assertThat(roleAnnotation("api")).isNull();
    assertThat(trustModes("api")).containsExactly("PodIdentity");
    var association = onlyAssociation();

    // And back, with a pod that got Pod Identity's environment.
    podStartedNow("pod-identity-pod");
    setMode("api", IdentityMode.IRSA);
    awaitIdentity(i -> i.getMode() == IdentityMode.IRSA && i.getPreviousMode() != null);
    assertThat(EKS.association(association.associationId()))
        .as("kept for the older pod")
        .isPresent();
    deletePod("pod-identity-pod");
    awaitIdentity(i -> i.getPreviousMode() == null && i.getAssociationId() == null);
    assertThat(EKS.associations()).isEmpty();
    assertThat(trustModes("api")).containsExactly("IRSA");
    assertThat(roleAnnotation("api")).isEqualTo(roleArn);

    watcher.shutdownNow();
    watcher.awaitTermination(5, TimeUnit.SECONDS);
    assertThat(unusable(observations))
        .as("moments in which a new pod would have had no usable credentials")
        .isEmpty();
    // The order, as one clock saw it: the new identity before the old one went.
    long associationMade = firstSeen(observations, o -> o.associated() && o.podIdentityTrusted());
    long annotationGone = firstSeen(observations, o -> o.annotation() == null);
    assertThat(associationMade).isLessThan(annotationGone);
    long annotatedAgain = firstSeenAfter(observations, annotationGone, o -> o.annotation() != null);
    long associationGone =
        EKS.requests("DeletePodIdentityAssociation").stream()
            .mapToLong(r -> r.sequence())
            .min()
            .orElseThrow();
    assertThat(annotatedAgain).isLessThan(associationGone);
  }

  /** What a pod created at one moment would get, as the ServiceAccount, IAM and EKS said then. */
  record Observation(
      long sequence,
      String annotation,
      boolean webIdentityTrusted,
      boolean podIdentityTrusted,
      boolean associated) {

    /**
     * A pod with the annotation uses web identity (the SDKs try it before the container credentials
     * of Pod Identity), so the trust must admit it; a pod without it needs the association and the
     * trust's Pod Identity statement.
     */
    boolean usable() {
      return annotation != null ? webIdentityTrusted : associated && podIdentityTrusted;
    }
  }

  private List<Observation> watch(String name, String roleArn) {
    var seen = new CopyOnWriteArrayList<Observation>();
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            var sequence = EksDouble.nextSequence();
            var annotation = roleAnnotation(name);
            var modes = trustModes(name);
            var associated =
                EKS.associations().stream()
                    .anyMatch(a -> a.serviceAccount().equals(name) && a.roleArn().equals(roleArn));
            seen.add(
                new Observation(
                    sequence,
                    annotation,
                    modes.contains("IRSA"),
                    modes.contains("PodIdentity"),
                    associated));
          } catch (RuntimeException e) {
            // A read that failed says nothing either way.
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    return seen;
  }

  /**
   * The observations in which no usable identity was in place, in two consecutive looks: the three
   * reads of one look are not atomic, so a single look across a step can mix its two sides.
   */
  private static List<Observation> unusable(List<Observation> observations) {
    var bad = new ArrayList<Observation>();
    for (int i = 1; i < observations.size(); i++) {
      if (!observations.get(i - 1).usable() && !observations.get(i).usable()) {
        bad.add(observations.get(i));
      }
    }
    return bad;
  }

  private static long firstSeen(List<Observation> observations, Predicate<Observation> what) {
    return firstSeenAfter(observations, Long.MIN_VALUE, what);
  }

  private static long firstSeenAfter(
      List<Observation> observations, long after, Predicate<Observation> what) {
    return observations.stream()
        .filter(o -> o.sequence() > after && what.test(o))
        .mapToLong(Observation::sequence)
        .findFirst()
        .orElseThrow(() -> new AssertionError("never observed; saw " + observations));
  }

  private void setMode(String name, IdentityMode mode) {
    admin
        .resources(SecureWorkload.class)
        .inNamespace(operator.getNamespace())
        .withName(name)
        .edit(
            w -> {
              var identity = new io.secureworkload.operator.api.IdentitySpec();
              identity.setMode(mode);
              w.getSpec().setIdentity(identity);
              return w;
            });
  }

  private io.secureworkload.operator.api.IdentityStatus identityOf(String name) {
    var workload = operator.get(SecureWorkload.class, name);
    return workload == null || workload.getStatus() == null
        ? null
        : workload.getStatus().getIdentity();
  }

  private void awaitIdentity(Predicate<io.secureworkload.operator.api.IdentityStatus> done) {
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var identity = identityOf("api");
                return identity != null && done.test(identity);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("The switch did not get there\n" + workloads.describe("api"), e);
    }
  }

  private void podStartedNow(String name) {
    TestPods.runningAs(admin, operator.getNamespace(), name, "api");
  }

  private void deletePod(String name) {
    admin.pods().inNamespace(operator.getNamespace()).withName(name).withGracePeriod(0).delete();
  }

  private String roleAnnotation(String serviceAccount) {
    var account = operator.get(ServiceAccount.class, serviceAccount);
    if (account == null || account.getMetadata().getAnnotations() == null) {
      return null;
    }
    return account.getMetadata().getAnnotations().get(ServiceAccountDependentResource.ROLE_ARN);
  }

  private StoredAssociation onlyAssociation() {
    var all = EKS.associations();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private JsonNode trust(String workloadName) {
    var document =
        env.iamClient()
            .getRole(r -> r.roleName(env.roleName(operator.getNamespace(), workloadName)))
            .role()
            .assumeRolePolicyDocument();
    try {
      return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The modes the role's trust admits, by the shape of its statements. */
  private List<String> trustModes(String workloadName) {
    var modes = new ArrayList<String>();
    for (var statement : statements(trust(workloadName))) {
      if (statement.path("Principal").has("Federated")) {
        modes.add("IRSA");
      }
      if (statement.path("Principal").has("Service")) {
        modes.add("PodIdentity");
      }
    }
    return modes;
  }

  private static List<JsonNode> statements(JsonNode document) {
    var statement = document.path("Statement");
    var list = new ArrayList<JsonNode>();
    if (statement.isArray()) {
      statement.forEach(list::add);
    } else {
      list.add(statement);
    }
    return list;
  }

  private static JsonNode onlyStatement(JsonNode document) {
    var all = statements(document);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static List<String> actions(JsonNode statement) {
    var action = statement.path("Action");
    var list = new ArrayList<String>();
    if (action.isArray()) {
      action.forEach(a -> list.add(a.asText()));
    } else {
      list.add(action.asText());
    }
    return list;
  }

  private String policyName() {
    return "it-pod-identity-" + operator.getNamespace();
  }

  /** A policy of the test's namespace alone, wide but for what {@code more} says. */
  private void ownGuardrails(String more) {
    admin
        .namespaces()
        .withName(operator.getNamespace())
        .edit(
            n -> {
              n.getMetadata().getLabels().put(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true");
              return n;
            });
    var yaml =
        """
        apiVersion: secureworkload.io/v1alpha1
        kind: SecureWorkloadPolicy
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam:
            permissionsBoundaryArn: %s
        %s"""
            .formatted(
                policyName(), operator.getNamespace(), OperatorTestEnvironment.BOUNDARY, more);
    admin.resource(Serialization.unmarshal(yaml, SecureWorkloadPolicy.class)).serverSideApply();
  }
}
