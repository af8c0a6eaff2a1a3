package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolePlannerTest {

  private static final String NAME = "sw-prod.payments.api";
  private static final String INLINE = DesiredRole.INLINE_POLICY_NAME;
  private static final String PROVIDER_ARN =
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";
  private static final String ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/ABC";
  private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  private static final String XRAY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";
  private static final String BOUNDARY = "arn:aws:iam::123456789012:policy/platform-boundary";
  private static final Map<String, String> OWNED_TAGS =
      Map.of(
          WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY,
          WorkloadRole.TAG_CLUSTER, "prod",
          WorkloadRole.TAG_NAMESPACE, "payments",
          WorkloadRole.TAG_NAME, "api");

  private static final PolicyStatement READ_REPORTS =
      new PolicyStatement(
          "ReadReports",
          null,
          List.of("s3:GetObject", "s3:ListBucket"),
          List.of("arn:aws:s3:::reports", "arn:aws:s3:::reports/*"),
          null);
  private static final PolicyStatement SEND_EVENTS =
      new PolicyStatement(
          "SendEvents", null, List.of("sqs:SendMessage"), List.of("arn:aws:sqs:::events"), null);

  @Test
  void noChangesWhenTheRoleAlreadyMatches() {
    var desired = desired().build();

    assertThat(RolePlanner.changes(desired, actual(desired).build())).isEmpty();
  }

  @Test
  void noChangesWhenIamReturnsUrlEncodedDocumentsWithReorderedSets() {
    var desired = desired().build();
    var iamTrust =
        """
        {"Version": "2012-10-17", "Statement": [{
          "Action": ["sts:AssumeRoleWithWebIdentity"],
          "Condition": {"StringEquals": {
            "%1$s:aud": ["sts.amazonaws.com"],
            "%1$s:sub": "system:serviceaccount:payments:api"}},
          "Effect": "Allow",
          "Principal": {"Federated": "%2$s"}}]}
        """
            .formatted(ISSUER, PROVIDER_ARN);
    var iamInline =
        """
        {"Statement": [{
          "Resource": ["arn:aws:s3:::reports/*", "arn:aws:s3:::reports"],
          "Action": ["s3:ListBucket", "s3:GetObject"],
          "Effect": "Allow",
          "Sid": "ReadReports"}],
         "Version": "2012-10-17"}
        """;

    var actual =
        actual(desired)
            .trustPolicy(urlEncoded(iamTrust))
            .inlinePolicies(Map.of(INLINE, urlEncoded(iamInline)))
            .build();

    assertThat(RolePlanner.changes(desired, actual)).isEmpty();
  }

  @Test
  void onlyTheInlinePolicyIsPutWhenStatementsChanged() {
    var before = desired().build();
    var after = desired().statements(List.of(READ_REPORTS, SEND_EVENTS)).build();

    assertThat(RolePlanner.changes(after, actual(before).build()))
        .containsExactly(new RoleChange.PutInlinePolicy(INLINE, after.inlinePolicy()));
  }

  @Test
  void inlinePolicyIsPutWhenTheRoleHasNone() {
    var desired = desired().build();

    assertThat(RolePlanner.changes(desired, actual(desired).inlinePolicies(Map.of()).build()))
        .containsExactly(new RoleChange.PutInlinePolicy(INLINE, desired.inlinePolicy()));
  }

  @Test
  void inlinePolicyIsDeletedWhenAllStatementsWereRemoved() {
    var before = desired().build();
    var after = desired().statements(List.of()).build();

    assertThat(RolePlanner.changes(after, actual(before).build()))
        .containsExactly(new RoleChange.DeleteInlinePolicy(INLINE));
  }

  @Test
  void nothingToDeleteWhenNeitherSideHasAnInlinePolicy() {
    var desired = desired().statements(List.of()).build();

    assertThat(RolePlanner.changes(desired, actual(desired).build())).isEmpty();
  }

  @Test
  void inlinePoliciesAddedByHandAreDeleted() {
    var desired = desired().build();
    var inline = new HashMap<>(actual(desired).build().inlinePolicies());
    inline.put("added-by-hand", desired.inlinePolicy());
    inline.put("another", desired.inlinePolicy());

    assertThat(RolePlanner.changes(desired, actual(desired).inlinePolicies(inline).build()))
        .containsExactly(
            new RoleChange.DeleteInlinePolicy("added-by-hand"),
            new RoleChange.DeleteInlinePolicy("another"));
  }

  @Test
  void managedPoliciesAreAttachedAndDetachedByDifference() {
    var desired = desired().managedPolicyArns(Set.of(READ_ONLY, XRAY)).build();
    var extra = "arn:aws:iam::123456789012:policy/extra";

    var changes =
        RolePlanner.changes(
            desired, actual(desired).managedPolicyArns(Set.of(READ_ONLY, extra)).build());

    assertThat(changes)
        .containsExactly(
            new RoleChange.DetachManagedPolicy(extra), new RoleChange.AttachManagedPolicy(XRAY));
  }

  @Test
  void trustPolicyIsUpdatedWhenTheServiceAccountNameChanges() {
    var before = desired().build();
    var after = desired().serviceAccount("api-v2").build();

    var changes = RolePlanner.changes(after, actual(before).build());

    assertThat(changes).containsExactly(new RoleChange.UpdateTrustPolicy(after.trustPolicy()));
    assertThat(after.trustPolicy()).contains("system:serviceaccount:payments:api-v2");
  }

  @Test
  void roleSettingsAreUpdatedWhenTheMaxSessionDurationChanges() {
    var before = desired().build();
    var after = desired().maxSession(7200).build();

    assertThat(RolePlanner.changes(after, actual(before).build()))
        .containsExactly(new RoleChange.UpdateRoleSettings(after.description(), 7200));
  }

  @Test
  void roleSettingsAreUpdatedWhenTheDescriptionChanges() {
    var desired = desired().build();

    assertThat(RolePlanner.changes(desired, actual(desired).description("edited by hand").build()))
        .containsExactly(new RoleChange.UpdateRoleSettings(desired.description(), 3600));
  }

  @Test
  void permissionsBoundaryIsPutWhenMissing() {
    var desired = desired().boundary(BOUNDARY).build();

    assertThat(RolePlanner.changes(desired, actual(desired).boundary(null).build()))
        .containsExactly(new RoleChange.PutPermissionsBoundary(BOUNDARY));
  }

  @Test
  void permissionsBoundaryIsReplacedWhenDifferent() {
    var desired = desired().boundary(BOUNDARY).build();
    var other = "arn:aws:iam::123456789012:policy/other-boundary";

    assertThat(RolePlanner.changes(desired, actual(desired).boundary(other).build()))
        .containsExactly(new RoleChange.PutPermissionsBoundary(BOUNDARY));
  }

  @Test
  void aBoundaryIsNeverRemovedByTheOperator() {
    var desired = desired().boundary(null).build();

    assertThat(RolePlanner.changes(desired, actual(desired).boundary(BOUNDARY).build())).isEmpty();
  }

  @Test
  void theBoundaryIsTheFirstChangeSoThatALaterFailureLeavesTheRoleBounded() {
    var desired = desired().boundary(BOUNDARY).build();
    var actual =
        actual(desired)
            .boundary(null)
            .trustPolicy(PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", "other"))
            .build();

    assertThat(RolePlanner.changes(desired, actual))
        .first()
        .isEqualTo(new RoleChange.PutPermissionsBoundary(BOUNDARY));
  }

  @Test
  void onlyMissingOrDifferentOwnedTagsAreTagged() {
    var desired = desired().build();
    var tags = new HashMap<>(OWNED_TAGS);
    tags.remove(WorkloadRole.TAG_MANAGED_BY);
    tags.put(WorkloadRole.TAG_CLUSTER, "stage");

    assertThat(RolePlanner.changes(desired, actual(desired).tags(tags).build()))
        .containsExactly(
            new RoleChange.TagRole(
                Map.of(
                    WorkloadRole.TAG_MANAGED_BY,
                    SecureWorkload.MANAGED_BY,
                    WorkloadRole.TAG_CLUSTER,
                    "prod")));
  }

  @Test
  void foreignTagsAreNeverRemoved() {
    var desired = desired().build();
    var tags = new HashMap<>(OWNED_TAGS);
    tags.put("cost-center", "4711");

    assertThat(RolePlanner.changes(desired, actual(desired).tags(tags).build())).isEmpty();
  }

  @Test
  void aRoleAdoptedAgainGetsItsTrustBackThenLosesTheMarksOfItsCut() {
    var desired = desired().build();
    var tags = new HashMap<>(OWNED_TAGS);
    tags.put(WorkloadRole.TAG_RETAINED, "true");
    tags.put(TrustCut.TAG, "retained");
    tags.put("cost-center", "4711");
    var cut =
        actual(desired)
            .trustPolicy(PolicyDocuments.cutTrustPolicy(PROVIDER_ARN, ISSUER))
            .tags(tags)
            .build();

    assertThat(RolePlanner.changes(desired, cut))
        .containsExactly(
            new RoleChange.UpdateTrustPolicy(desired.trustPolicy()),
            new RoleChange.UntagRole(Set.of(TrustCut.TAG, WorkloadRole.TAG_RETAINED)));
    assertThat(RolePlanner.applied(desired, cut).tags())
        .doesNotContainKeys(TrustCut.TAG, WorkloadRole.TAG_RETAINED)
        .containsEntry("cost-center", "4711");
    assertThat(RolePlanner.changes(desired, RolePlanner.applied(desired, cut))).isEmpty();
  }

  @Test
  void everyDifferenceIsPlannedInOneList() {
    var before = desired().build();
    var after =
        desired()
            .serviceAccount("api-v2")
            .maxSession(7200)
            .statements(List.of(SEND_EVENTS))
            .managedPolicyArns(Set.of(XRAY))
            .boundary(BOUNDARY)
            .build();

    assertThat(RolePlanner.changes(after, actual(before).tags(Map.of()).build()))
        .extracting(RoleChange::operation)
        .containsExactly(
            "PutRolePermissionsBoundary",
            "UpdateAssumeRolePolicy",
            "UpdateRole",
            "PutRolePolicy",
            "DetachRolePolicy",
            "AttachRolePolicy",
            "TagRole");
  }

  private static DesiredBuilder desired() {
    return new DesiredBuilder();
  }

  private static ActualBuilder actual(DesiredRole desired) {
    var actual = new ActualBuilder();
    actual.name = desired.name();
    actual.path = desired.path();
    actual.description = desired.description();
    actual.trustPolicy = desired.trustPolicy();
    actual.inlinePolicies =
        desired.inlinePolicy() == null ? Map.of() : Map.of(INLINE, desired.inlinePolicy());
    actual.managedPolicyArns = desired.managedPolicyArns();
    actual.maxSession = desired.maxSessionDurationSeconds();
    actual.boundary = desired.permissionsBoundaryArn();
    actual.tags = desired.tags();
    return actual;
  }

  private static String urlEncoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static final class DesiredBuilder {
    private String serviceAccount = "api";
    private List<PolicyStatement> statements = List.of(READ_REPORTS);
    private Set<String> managedPolicyArns = Set.of(READ_ONLY);
    private int maxSession = 3600;
    private String boundary;

    DesiredBuilder serviceAccount(String value) {
      serviceAccount = value;
      return this;
    }

    DesiredBuilder statements(List<PolicyStatement> value) {
      statements = value;
      return this;
    }

    DesiredBuilder managedPolicyArns(Set<String> value) {
      managedPolicyArns = value;
      return this;
    }

    DesiredBuilder maxSession(int value) {
      maxSession = value;
      return this;
    }

    DesiredBuilder boundary(String value) {
      boundary = value;
      return this;
    }

    DesiredRole build() {
      return new DesiredRole(
          NAME,
          "/secureworkload/",
          "SecureWorkload payments/api in cluster prod",
          PolicyDocuments.trustPolicy(PROVIDER_ARN, ISSUER, "payments", serviceAccount),
          PolicyDocuments.inlinePolicy(statements, List.of()),
          managedPolicyArns,
          maxSession,
          boundary,
          OWNED_TAGS);
    }
  }

  private static final class ActualBuilder {
    private String name;
    private String path;
    private String description;
    private String trustPolicy;
    private Map<String, String> inlinePolicies;
    private Set<String> managedPolicyArns;
    private int maxSession;
    private String boundary;
    private Map<String, String> tags;

    ActualBuilder description(String value) {
      description = value;
      return this;
    }

    ActualBuilder trustPolicy(String value) {
      trustPolicy = value;
      return this;
    }

    ActualBuilder inlinePolicies(Map<String, String> value) {
      inlinePolicies = value;
      return this;
    }

    ActualBuilder managedPolicyArns(Set<String> value) {
      managedPolicyArns = value;
      return this;
    }

    ActualBuilder boundary(String value) {
      boundary = value;
      return this;
    }

    ActualBuilder tags(Map<String, String> value) {
      tags = value;
      return this;
    }

    ActualRole build() {
      return ActualRole.named(name)
          .withIdentity("arn:aws:iam::123456789012:role" + path + name, path, null)
          .withDescription(description)
          .withTrustPolicy(trustPolicy)
          .withInlinePolicies(inlinePolicies)
          .withManagedPolicyArns(managedPolicyArns)
          .withMaxSessionDurationSeconds(maxSession)
          .withPermissionsBoundaryArn(boundary)
          .withTags(tags);
    }
  }
}
