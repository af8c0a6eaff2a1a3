package io.secureworkload.operator.iam;

import static io.secureworkload.operator.testsupport.TestSettings.ISSUER;
import static io.secureworkload.operator.testsupport.TestSettings.inRegion;
import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadRoleTest {

  private static final String ACCOUNT = "123456789012";
  private static final String FULL_SPEC =
      """
      serviceAccount:
        name: payments-api
      iam:
        maxSessionDurationSeconds: 7200
        deletionPolicy: Retain
        managedPolicyArns:
          - arn:aws:iam::aws:policy/ReadOnlyAccess
        statements:
          - sid: ReadReports
            actions: [s3:GetObject]
            resources: ["arn:aws:s3:::reports/*"]
      """;

  private final WorkloadRole role = new WorkloadRole(inRegion("us-west-2"), () -> ACCOUNT);

  @Test
  void nameIsDerivedFromClusterNamespaceAndName() {
    assertThat(role.name(minimal())).isEqualTo("sw-prod.payments.api");
  }

  @Test
  void arnIsKnownBeforeTheRoleExists() {
    assertThat(role.arn(minimal()))
        .isEqualTo("arn:aws:iam::123456789012:role/secureworkload/sw-prod.payments.api");
  }

  @Test
  void arnUsesTheChinaPartitionInChinaRegions() {
    var china = new WorkloadRole(inRegion("cn-north-1"), () -> ACCOUNT);

    assertThat(china.arn(minimal()))
        .isEqualTo("arn:aws-cn:iam::123456789012:role/secureworkload/sw-prod.payments.api");
    assertThat(china.desired(minimal(), TestServices.NAMESPACE_UID, null, null).trustPolicy())
        .contains("arn:aws-cn:iam::123456789012:oidc-provider/" + ISSUER);
  }

  @Test
  void desiredRoleOfAMinimalWorkloadHasDefaultsAndNoInlinePolicy() {
    var desired = role.desired(minimal(), TestServices.NAMESPACE_UID, null, null);

    assertThat(desired.name()).isEqualTo("sw-prod.payments.api");
    assertThat(desired.path()).isEqualTo("/secureworkload/");
    assertThat(desired.description()).isEqualTo("SecureWorkload payments/api in cluster prod");
    assertThat(desired.inlinePolicy()).isNull();
    assertThat(desired.managedPolicyArns()).isEmpty();
    assertThat(desired.maxSessionDurationSeconds()).isEqualTo(3600);
    assertThat(desired.permissionsBoundaryArn()).isNull();
    assertThat(desired.tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                WorkloadRole.TAG_MANAGED_BY, "secure-workload-operator",
                WorkloadRole.TAG_CLUSTER, "prod",
                WorkloadRole.TAG_NAMESPACE, "payments",
                WorkloadRole.TAG_NAMESPACE_UID, TestServices.NAMESPACE_UID,
                WorkloadRole.TAG_ISSUER, TestSettings.ISSUER,
                WorkloadRole.TAG_NAME, "api"));
  }

  @Test
  void desiredTrustPolicyNamesTheWorkloadsServiceAccountDefaultingToItsName() {
    var desired = role.desired(minimal(), TestServices.NAMESPACE_UID, null, null);

    assertThat(
            PolicyDocuments.equivalent(
                desired.trustPolicy(),
                PolicyDocuments.trustPolicy(
                    "arn:aws:iam::123456789012:oidc-provider/" + ISSUER,
                    ISSUER,
                    "payments",
                    "api")))
        .isTrue();
  }

  @Test
  void desiredRoleTakesPoliciesSessionAndServiceAccountFromTheSpecAndTheWrittenInlinePolicy() {
    var written =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadReports\","
            + "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::reports/*\"}]}";
    var desired = role.desired(withSpec(FULL_SPEC), TestServices.NAMESPACE_UID, null, written);

    assertThat(desired.trustPolicy()).contains("system:serviceaccount:payments:payments-api");
    assertThat(desired.managedPolicyArns())
        .isEqualTo(Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    assertThat(desired.maxSessionDurationSeconds()).isEqualTo(7200);
    // The inline policy is the one the guardrails wrote, never rebuilt from the spec here.
    assertThat(desired.inlinePolicy()).isSameAs(written);
  }

  @Test
  void desiredRoleCarriesTheBoundaryTheGuardrailsGive() {
    var boundary = "arn:aws:iam::123456789012:policy/platform-boundary";

    assertThat(
            role.desired(minimal(), TestServices.NAMESPACE_UID, boundary, null)
                .permissionsBoundaryArn())
        .isEqualTo(boundary);
  }

  @Test
  void serviceAccountNameDefaultsToTheWorkloadsName() {
    assertThat(WorkloadRole.serviceAccountName(minimal())).isEqualTo("api");
    assertThat(WorkloadRole.serviceAccountName(withSpec(FULL_SPEC))).isEqualTo("payments-api");
  }

  @Test
  void ownsARoleCarryingAllFourTags() {
    var workload = minimal();
    var tags = new HashMap<>(role.desired(workload, TestServices.NAMESPACE_UID, null, null).tags());
    tags.put("cost-center", "4711");

    assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags))).isTrue();
  }

  @Test
  void doesNotOwnARoleMissingAnyOfTheTagsButTheOnesItCompletes() {
    var workload = minimal();
    var all = role.desired(workload, TestServices.NAMESPACE_UID, null, null).tags();

    for (var key : all.keySet()) {
      if (key.equals(WorkloadRole.TAG_NAMESPACE_UID) || key.equals(WorkloadRole.TAG_ISSUER)) {
        continue;
      }
      var tags = new HashMap<>(all);
      tags.remove(key);
      assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags)))
          .as("without %s", key)
          .isFalse();
    }
  }

  @Test
  void adoptsARoleMadeBeforeTheNamespaceUidAndIssuerTagsAndCompletesThem() {
    var workload = minimal();
    var tags = new HashMap<>(role.desired(workload, TestServices.NAMESPACE_UID, null, null).tags());
    tags.remove(WorkloadRole.TAG_NAMESPACE_UID);
    tags.remove(WorkloadRole.TAG_ISSUER);

    assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags))).isTrue();
  }

  @Test
  void doesNotOwnARoleOfANamespaceOfTheSameNameMadeBeforeThisOne() {
    var workload = minimal();
    var tags =
        new HashMap<>(role.desired(workload, "uid-of-an-earlier-payments", null, null).tags());

    assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags))).isFalse();
  }

  @Test
  void doesNotOwnARoleTaggedForAnotherClusterNamespaceOrName() {
    var workload = minimal();
    var all = role.desired(workload, TestServices.NAMESPACE_UID, null, null).tags();

    for (var key : all.keySet()) {
      var tags = new HashMap<>(all);
      tags.put(key, "someone-else");
      assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags)))
          .as("with another %s", key)
          .isFalse();
    }
  }

  @Test
  void aCutRoleIsOwnedOnlyWithEveryTagPresentAndEqualTheNamespaceUidIncluded() {
    var workload = minimal();
    var all = new HashMap<>(role.desired(workload, TestServices.NAMESPACE_UID, null, null).tags());
    all.put(TrustCut.TAG, "retained");

    assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(all))).isTrue();
    for (var completable : Set.of(WorkloadRole.TAG_NAMESPACE_UID, WorkloadRole.TAG_ISSUER)) {
      var tags = new HashMap<>(all);
      tags.remove(completable);
      assertThat(role.owns(workload, TestServices.NAMESPACE_UID, roleTagged(tags)))
          .as("a cut role without %s", completable)
          .isFalse();
    }
    assertThat(role.owns(workload, "uid-of-a-later-payments", roleTagged(all)))
        .as("the namespace made again under the same name")
        .isFalse();
  }

  @Test
  void theCutTrustLetsNoServiceAccountInThroughTheSameProviderAndAudience() {
    var cut = PolicyDocuments.normalise(role.cutTrustPolicy());
    var trust =
        PolicyDocuments.normalise(
            role.desired(minimal(), TestServices.NAMESPACE_UID, null, null).trustPolicy());

    var statement = cut.get("Statement").get(0);
    var conditions = statement.at("/Condition/StringEquals");
    assertThat(cut.get("Statement")).hasSize(1);
    assertThat(statement.get("Principal"))
        .isEqualTo(trust.get("Statement").get(0).get("Principal"));
    assertThat(statement.get("Action")).isEqualTo(trust.get("Statement").get(0).get("Action"));
    assertThat(conditions.get(ISSUER + ":aud").get(0).asText())
        .isEqualTo(PolicyDocuments.STS_AUDIENCE);
    assertThat(conditions.get(ISSUER + ":sub").get(0).asText()).isEqualTo(TrustCut.SUBJECT);
    // Every token the issuer signs for a pod has a subject of this form; the cut one has not.
    assertThat(TrustCut.SUBJECT).doesNotStartWith("system:serviceaccount:");
    assertThat(cut.at("/Statement/0/Condition").size()).as("StringEquals alone").isEqualTo(1);
    assertThat(new TrustCut(null, role::cutTrustPolicy).holds(role.cutTrustPolicy())).isTrue();
  }

  @Test
  void retainsOnDeleteOnlyWithDeletionPolicyRetain() {
    var delete = FULL_SPEC.replace("deletionPolicy: Retain", "deletionPolicy: Delete");

    assertThat(role.retainOnDelete(withSpec(FULL_SPEC))).isTrue();
    assertThat(role.retainOnDelete(withSpec(delete))).isFalse();
    assertThat(role.retainOnDelete(minimal())).isFalse();
  }

  private static ActualRole roleTagged(Map<String, String> tags) {
    return ActualRole.named("sw-prod.payments.api")
        .withIdentity(
            "arn:aws:iam::123456789012:role/secureworkload/sw-prod.payments.api",
            "/secureworkload/",
            null)
        .withTrustPolicy("{}")
        .withMaxSessionDurationSeconds(3600)
        .withTags(tags);
  }

  @Test
  void theRoleInUseIsTheEarlierOneOnlyWhenTheStatusNamesExactlyThatOne() {
    var workload = minimal();
    assertThat(role.nameInUse(workload)).isEqualTo(role.name(workload));

    var status = new io.secureworkload.operator.api.SecureWorkloadStatus();
    status.setRoleName("sw-prod-payments-api");
    workload.setStatus(status);
    assertThat(role.nameInUse(workload)).isEqualTo("sw-prod-payments-api");
    assertThat(role.arn(workload)).endsWith("/sw-prod-payments-api");

    status.setRoleName("sw-prod-someone-elses-role");
    assertThat(role.nameInUse(workload)).isEqualTo(role.name(workload));
  }
}
