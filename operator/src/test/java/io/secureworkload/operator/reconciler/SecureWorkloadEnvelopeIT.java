package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.NamespaceWorkloads;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole envelope (secrets, security groups, network policies and the IAM statements that go
 * with them) on a real API server with stand-ins of the third-party CRDs, and moto.
 */
class SecureWorkloadEnvelopeIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  private static final OperatorTestEnvironment ENV = new OperatorTestEnvironment(MOTO.server());
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String SHOP =
      """
      selector: {matchLabels: {app: shop}}
      iam:
        statements: [{actions: [s3:GetObject], resources: ["arn:aws:s3:::shop/*"]}]
      secrets:
        objects:
        - {name: prod/shop/db, type: secretsmanager, alias: db, jmesPath: [{path: password, alias: dbpassword}]}
        - {name: /shop/feature-flags, type: ssmparameter, alias: flags}
        syncToSecrets:
        - {secretName: shop-db, data: [{key: password, objectAlias: dbpassword}]}
        kmsKeyArns: ["arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
      securityGroups: {groupIds: [sg-0123456789abcdef0]}
      network:
        ingress:
        - from: [{podSelector: {matchLabels: {app: frontend}}}]
          ports: [{port: 8080}]
        egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.5.0/24]}}]
          ports: [{protocol: TCP, port: 5432}]
      """;

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private WorkloadAssertions workloads;

  @BeforeAll
  static void installThirdPartyCrds() {
    try (var client = KubeApiServer.get().newClient()) {
      ThirdPartyCrds.install(client);
    }
  }

  @BeforeEach
  void watchWorkloads() {
    workloads = new WorkloadAssertions(operator);
  }

  @Test
  void createsEveryChildAsSpecifiedAndReportsEachPartReady() {
    operator.create(workload("shop", SHOP));

    var ready = workloads.awaitReady("shop");

    assertThat(ready.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Ready", "True", "AllPartsReady"),
            tuple("Reconciling", "False", "AllPartsReady"),
            tuple("Stalled", "False", "AllPartsReady"),
            tuple("GuardrailCompliant", "True", "Compliant"),
            tuple("IAMRoleReady", "True", "InSync"),
            tuple("ServiceAccountReady", "True", "InSync"),
            tuple("SecretsReady", "True", "InSync"),
            tuple("SecurityGroupsReady", "True", "InSync"),
            tuple("NetworkPoliciesReady", "True", "InSync"));

    var spc = operator.get(SecretProviderClass.class, "shop");
    assertThat(spc.getSpec().getProvider()).isEqualTo("aws");
    assertThat(spc.getSpec().getParameters()).containsOnlyKeys("objects");
    List<Map<String, Object>> objects =
        Serialization.unmarshal(spc.getSpec().getParameters().get("objects"), List.class);
    assertThat(objects)
        .containsExactly(
            Map.of(
                "objectName", "prod/shop/db",
                "objectType", "secretsmanager",
                "objectAlias", "db",
                "jmesPath", List.of(Map.of("path", "password", "objectAlias", "dbpassword"))),
            Map.of(
                "objectName",
                "/shop/feature-flags",
                "objectType",
                "ssmparameter",
                "objectAlias",
                "flags"));
    assertThat(spc.getSpec().getSecretObjects())
        .singleElement()
        .satisfies(
            synced -> {
              assertThat(synced.getSecretName()).isEqualTo("shop-db");
              assertThat(synced.getType()).isEqualTo("Opaque");
              assertThat(synced.getData())
                  .extracting("objectName", "key")
                  .containsExactly(tuple("dbpassword", "password"));
            });

    var sgp = operator.get(SecurityGroupPolicy.class, "shop");
    assertThat(sgp.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "shop"));
    assertThat(sgp.getSpec().getSecurityGroups().getGroupIds())
        .containsExactly("sg-0123456789abcdef0");

    var deny = operator.get(NetworkPolicy.class, "shop-default-deny");
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "shop"));
    assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    assertThat(deny.getSpec().getEgress()).isNullOrEmpty();

    var ingress = operator.get(NetworkPolicy.class, "shop-ingress");
    assertThat(ingress.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(ingress.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(
                      peer ->
                          assertThat(peer.getPodSelector().getMatchLabels())
                              .isEqualTo(Map.of("app", "frontend")));
              assertThat(rule.getPorts())
                  .extracting("protocol", "port")
                  .containsExactly(tuple("TCP", new IntOrString(8080)));
            });

    var egress = operator.get(NetworkPolicy.class, "shop-egress");
    assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
    List<NetworkPolicyEgressRule> egressRules = egress.getSpec().getEgress();
    assertThat(egressRules).hasSize(3);
    assertThat(egressRules.get(0).getTo())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.0.0/16");
              assertThat(peer.getIpBlock().getExcept()).containsExactly("10.0.5.0/24");
            });
    assertThat(egressRules.get(1).getTo())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system"));
              assertThat(peer.getPodSelector().getMatchLabels())
                  .isEqualTo(Map.of("k8s-app", "kube-dns"));
            });
    assertThat(egressRules.get(1).getPorts())
        .extracting("protocol", "port")
        .containsExactly(tuple("UDP", new IntOrString(53)), tuple("TCP", new IntOrString(53)));
    assertThat(egressRules.get(2).getTo())
        .extracting(peer -> peer.getIpBlock().getCidr())
        .containsExactly(OperatorTestEnvironment.AWS_API_CIDR);
    assertThat(egressRules.get(2).getPorts())
        .extracting("protocol", "port")
        .containsExactly(tuple("TCP", new IntOrString(443)));

    for (HasMetadata child :
        List.of(spc, sgp, deny, ingress, egress, operator.get(ServiceAccount.class, "shop"))) {
      assertThat(child.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "secure-workload-operator");
      assertThat(child.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
    }

    var inline = PolicyDocuments.normalise(ENV.inlinePolicy(roleName("shop")));
    assertThat(inline)
        .isEqualTo(
            PolicyDocuments.normalise(
                """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop/*",
                   "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}},
                  {"Sid": "SecureWorkloadSecrets", "Effect": "Allow",
                   "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                   "Resource": "arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/shop/db-??????"},
                  {"Sid": "SecureWorkloadParameters", "Effect": "Allow", "Action": "ssm:GetParameters",
                   "Resource": "arn:aws:ssm:us-west-2:123456789012:parameter/shop/feature-flags"},
                  {"Sid": "SecureWorkloadKmsDecrypt", "Effect": "Allow", "Action": "kms:Decrypt",
                   "Resource": "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                   "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.us-west-2.amazonaws.com", "ssm.us-west-2.amazonaws.com"]}}}
                ]}
                """));
    // Seven objects made, one Event that names them all, and nothing more once it settled.
    var madeOf =
        "Ready: Ready: IAM role "
            + ready.getStatus().getRoleArn()
            + ", ServiceAccount shop, SecretProviderClass shop, SecurityGroupPolicy shop,"
            + " NetworkPolicies shop-default-deny, shop-ingress, shop-egress";
    assertThat(workloads.normalEvents("shop")).containsExactly(madeOf);
    await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);
    assertThat(workloads.normalEvents("shop")).containsExactly(madeOf);
    assertThat(workloads.events("shop")).containsExactly("Ready");
  }

  @Test
  void deletedOrEditedChildrenAreRestored() {
    operator.create(workload("drift", SHOP.replace("app: shop", "app: drift")));
    workloads.awaitReady("drift");

    deleteAndAwaitRestored(SecretProviderClass.class, "drift");
    awaitRepairTold("drift", "SecretProviderClass drift (made again after it was deleted)");
    deleteAndAwaitRestored(SecurityGroupPolicy.class, "drift");
    awaitRepairTold("drift", "SecurityGroupPolicy drift (made again after it was deleted)");
    deleteAndAwaitRestored(NetworkPolicy.class, "drift-default-deny");
    awaitRepairTold("drift", "NetworkPolicy drift-default-deny (made again after it was deleted)");
    deleteAndAwaitRestored(NetworkPolicy.class, "drift-ingress");
    awaitRepairTold("drift", "NetworkPolicy drift-ingress (made again after it was deleted)");
    deleteAndAwaitRestored(NetworkPolicy.class, "drift-egress");
    awaitRepairTold("drift", "NetworkPolicy drift-egress (made again after it was deleted)");

    editAndAwaitRestored(
        SecretProviderClass.class,
        "drift",
        spc ->
            spc.getSpec()
                .getParameters()
                .put("objects", "- objectName: \"prod/other\"\n  objectType: \"secretsmanager\"\n"),
        spc -> spc.getSpec().getParameters().get("objects").contains("prod/shop/db"));
    awaitRepairTold("drift", "SecretProviderClass drift.");
    editAndAwaitRestored(
        SecurityGroupPolicy.class,
        "drift",
        sgp -> sgp.getSpec().getSecurityGroups().setGroupIds(List.of("sg-0000000000000000f")),
        sgp ->
            sgp.getSpec()
                .getSecurityGroups()
                .getGroupIds()
                .equals(List.of("sg-0123456789abcdef0")));
    awaitRepairTold("drift", "SecurityGroupPolicy drift.");
    editAndAwaitRestored(
        NetworkPolicy.class,
        "drift-ingress",
        np -> np.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(9999)),
        np ->
            np.getSpec()
                .getIngress()
                .get(0)
                .getPorts()
                .get(0)
                .getPort()
                .equals(new IntOrString(8080)));
    awaitRepairTold("drift", "NetworkPolicy drift-ingress.");
    editAndAwaitRestored(
        NetworkPolicy.class,
        "drift-default-deny",
        np -> np.getSpec().getPodSelector().setMatchLabels(Map.of()),
        np -> Map.of("app", "drift").equals(np.getSpec().getPodSelector().getMatchLabels()));
    awaitRepairTold("drift", "NetworkPolicy drift-default-deny.");

    workloads.awaitReady("drift");
    // Nine repairs, each told as a repair; the workload never stopped being Ready.
    assertThat(workloads.events("drift"))
        .containsOnlyOnce("Ready")
        .doesNotContain("Updated")
        .containsOnly("Ready", "DriftRepaired");
  }

  /**
   * Two children changed while no operator runs are repaired by the first reconciliation of the
   * next one, and told in one Event that names both. The test runs its own operators, in a
   * namespace of its own, so that it can stop one.
   */
  @Test
  void twoRepairsOfOneReconciliationAreOneEventNamingBoth() {
    try (var admin = KubeApiServer.get().newClient()) {
      var pairs = new NamespaceWorkloads(admin, "pair-" + Long.toHexString(System.nanoTime()));
      var ns = pairs.namespace();
      var first = operatorWatching(ns, admin);
      pairs.create(workload("pair", SHOP.replace("app: shop", "app: pair")));
      pairs.awaitReady("pair");
      first.stop();

      var groups = admin.resources(SecurityGroupPolicy.class).inNamespace(ns).withName("pair");
      groups.edit(
          sgp -> {
            sgp.getSpec().getSecurityGroups().setGroupIds(List.of("sg-0000000000000000f"));
            return sgp;
          });
      var ingress = admin.network().v1().networkPolicies().inNamespace(ns).withName("pair-ingress");
      ingress.edit(
          np -> {
            np.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(9999));
            return np;
          });

      var next = operatorWatching(ns, admin);
      try {
        await()
            .atMost(TIMEOUT)
            .untilAsserted(
                () ->
                    assertThat(pairs.normalEvents("pair"))
                        .as(pairs.describe("pair"))
                        .filteredOn(event -> !event.startsWith("Ready: "))
                        .containsExactly(
                            "DriftRepaired: Repaired changes made outside the operator to"
                                + " SecurityGroupPolicy pair, NetworkPolicy pair-ingress."));
        assertThat(groups.get().getSpec().getSecurityGroups().getGroupIds())
            .containsExactly("sg-0123456789abcdef0");
        assertThat(ingress.get().getSpec().getIngress().get(0).getPorts().get(0).getPort())
            .isEqualTo(new IntOrString(8080));
        await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);
        assertThat(pairs.normalEvents("pair"))
            .as(pairs.describe("pair"))
            .hasSize(2)
            .filteredOn(event -> event.startsWith("Ready: "))
            .hasSize(1);
        pairs.deleteAndAwaitGone("pair");
      } finally {
        next.stop();
      }
    }
  }

  private static Operator operatorWatching(String namespace, KubernetesClient client) {
    var operator =
        OperatorAssembly.onAws(
                ENV.settings().toBuilder().watchNamespaces(Set.of(namespace)).build(),
                MotoServer.credentials())
            .newOperator(client);
    operator.start();
    return operator;
  }

  @Test
  void removingAPartFromTheSpecDeletesItsChildAndItsPermissions() {
    var created = operator.create(workload("trim", SHOP.replace("app: shop", "app: trim")));
    workloads.awaitReady("trim");

    var current = operator.get(SecureWorkload.class, "trim");
    current.getSpec().getNetwork().setIngress(null);
    current.getSpec().setSecurityGroups(null);
    current.getSpec().setSecrets(null);
    operator.replace(current);

    await().atMost(TIMEOUT).until(() -> operator.get(NetworkPolicy.class, "trim-ingress") == null);
    await().atMost(TIMEOUT).until(() -> operator.get(SecurityGroupPolicy.class, "trim") == null);
    await().atMost(TIMEOUT).until(() -> operator.get(SecretProviderClass.class, "trim") == null);
    var trimmed = workloads.awaitReady("trim");
    assertThat(trimmed.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getReason)
        .contains(
            tuple("SecretsReady", "NotRequested"), tuple("SecurityGroupsReady", "NotRequested"));
    assertThat(ENV.inlinePolicy(roleName("trim")))
        .doesNotContain("secretsmanager")
        .doesNotContain("ssm:")
        .doesNotContain("kms:");
    assertThat(operator.get(NetworkPolicy.class, "trim-default-deny")).isNotNull();
    assertThat(operator.get(NetworkPolicy.class, "trim-egress")).isNotNull();
    // One Event for the change: what it deleted, and the role's narrower policy.
    assertThat(workloads.normalEvents("trim"))
        .filteredOn(event -> !event.startsWith("Ready: "))
        .singleElement()
        .asString()
        .startsWith("Updated: ")
        .contains("Updated IAM role " + roleName("trim") + " (PutRolePolicy)")
        .contains(
            "Deleted, as the spec no longer asks for them: SecretProviderClass trim,"
                + " SecurityGroupPolicy trim, NetworkPolicy trim-ingress.");

    current = operator.get(SecureWorkload.class, "trim");
    current.getSpec().setNetwork(null);
    operator.replace(current);

    await()
        .atMost(TIMEOUT)
        .until(() -> operator.get(NetworkPolicy.class, "trim-default-deny") == null);
    await().atMost(TIMEOUT).until(() -> operator.get(NetworkPolicy.class, "trim-egress") == null);
    assertThat(
            WorkloadAssertions.condition(workloads.awaitReady("trim"), "NetworkPoliciesReady")
                .getReason())
        .isEqualTo("NotRequested");
    assertThat(created.getMetadata().getName()).isEqualTo("trim");
  }

  @Test
  void onceReadyNoChildChangesAndNoAwsWriteIsMade() {
    operator.create(workload("settle", SHOP.replace("app: shop", "app: settle")));
    workloads.awaitReady("settle");
    await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);

    var versions = childVersions("settle");
    var writes = ENV.writes();
    var reads = ENV.calls("GetRole");

    var serviceAccount = operator.get(ServiceAccount.class, "settle");
    serviceAccount.getMetadata().getLabels().put("team", "shop");
    operator.replace(serviceAccount);
    var touched = operator.get(ServiceAccount.class, "settle").getMetadata().getResourceVersion();

    // The reconciliation it triggers knows the role means what it should: no IAM read either.
    await().pollDelay(Duration.ofSeconds(5)).atMost(TIMEOUT).until(() -> true);
    assertThat(ENV.calls("GetRole")).isEqualTo(reads);

    var after = childVersions("settle");
    after.put("ServiceAccount", versions.get("ServiceAccount"));
    assertThat(operator.get(ServiceAccount.class, "settle").getMetadata().getResourceVersion())
        .isEqualTo(touched);
    assertThat(after).isEqualTo(versions);
    assertThat(ENV.writes()).isEqualTo(writes);
  }

  @Test
  void deniedEgressWithoutAWayToAwsIsSaidInTheStatus() {
    operator.create(
        workload(
            "isolated",
            """
            selector: {matchLabels: {app: isolated}}
            iam:
              statements: [{actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:q"]}]
            network:
              allowAwsApis: false
            """));

    var ready = workloads.awaitReady("isolated");

    var network = WorkloadAssertions.condition(ready, "NetworkPoliciesReady");
    assertThat(network.getReason()).isEqualTo("InSyncWithoutAwsEgress");
    assertThat(network.getMessage()).contains("cannot reach STS").contains("allowAwsApis is false");
    var egress = operator.get(NetworkPolicy.class, "isolated-egress");
    assertThat(egress.getSpec().getEgress())
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getPorts()).extracting("port").containsOnly(new IntOrString(53)));
  }

  private java.util.Map<String, String> childVersions(String name) {
    var versions = new java.util.TreeMap<String, String>();
    versions.put(
        "SecureWorkload",
        operator.get(SecureWorkload.class, name).getMetadata().getResourceVersion());
    versions.put(
        "ServiceAccount",
        operator.get(ServiceAccount.class, name).getMetadata().getResourceVersion());
    versions.put(
        "SecretProviderClass",
        operator.get(SecretProviderClass.class, name).getMetadata().getResourceVersion());
    versions.put(
        "SecurityGroupPolicy",
        operator.get(SecurityGroupPolicy.class, name).getMetadata().getResourceVersion());
    for (var suffix : List.of("-default-deny", "-ingress", "-egress")) {
      versions.put(
          "NetworkPolicy" + suffix,
          operator.get(NetworkPolicy.class, name + suffix).getMetadata().getResourceVersion());
    }
    return versions;
  }

  /** Waits for a DriftRepaired Event that names this object, beside others it repaired. */
  private void awaitRepairTold(String workload, String object) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(workloads.normalEvents(workload))
                    .as("a DriftRepaired Event naming %s\n%s", object, workloads.describe(workload))
                    .anyMatch(
                        event ->
                            event.startsWith(
                                    "DriftRepaired: Repaired changes made outside the operator to ")
                                && (event.contains(" " + object)
                                    || event.contains(", " + object))));
  }

  private <T extends HasMetadata> void deleteAndAwaitRestored(Class<T> type, String name) {
    var before = operator.get(type, name);
    operator.delete(before);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var restored = operator.get(type, name);
              assertThat(restored)
                  .as("%s %s restored\n%s", type.getSimpleName(), name, workloads.describe(name))
                  .isNotNull();
              assertThat(restored.getMetadata().getUid())
                  .isNotEqualTo(before.getMetadata().getUid());
            });
  }

  private <T extends HasMetadata> void editAndAwaitRestored(
      Class<T> type, String name, Consumer<T> edit, java.util.function.Predicate<T> restored) {
    var object = operator.get(type, name);
    edit.accept(object);
    operator.replace(object);
    await().atMost(TIMEOUT).until(() -> restored.test(operator.get(type, name)));
  }

  private String roleName(String workloadName) {
    return ENV.roleName(operator.getNamespace(), workloadName);
  }
}
