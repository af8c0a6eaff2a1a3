package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestEnvelope;
import io.secureworkload.operator.testsupport.TestSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every Kubernetes child of a workload shares, checked once for each of them. */
class WorkloadChildDependentContractTest {

  /** A workload that asks for every child. */
  private static final SecureWorkload EVERYTHING =
      withSpec(
          """
          secrets: {objects: [{name: db, type: secretsmanager}]}
          securityGroups: {groupIds: [sg-89abcdef]}
          network:
            ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
          """);

  private static final TestEnvelope ENVELOPE =
      new TestEnvelope(TestSettings.withAwsApiCidrs(List.of("10.0.100.0/24")));

  static Stream<Arguments> children() {
    return Stream.of(
        Arguments.of(ENVELOPE.serviceAccount, "api", false),
        Arguments.of(ENVELOPE.secretProviderClass, "api", true),
        Arguments.of(ENVELOPE.securityGroupPolicy, "api", true),
        Arguments.of(ENVELOPE.defaultDeny, "api-default-deny", true),
        Arguments.of(ENVELOPE.ingress, "api-ingress", true),
        Arguments.of(ENVELOPE.egress, "api-egress", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("children")
  void isNamedAfterTheWorkloadInItsNamespaceWithTheManagedLabels(
      WorkloadChildDependent<?> child, String name, boolean optional) {
    var metadata = child.desired(EVERYTHING, context()).getMetadata();

    assertThat(metadata.getName()).isEqualTo(name);
    assertThat(metadata.getNamespace()).isEqualTo("payments");
    assertThat(metadata.getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ManagedLabels.MANAGED_BY,
                SecureWorkload.MANAGED_BY,
                ManagedLabels.WORKLOAD,
                "api"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("children")
  void isRequestedByTheFullSpecAndOptionalOnesNotByTheMinimalOne(
      WorkloadChildDependent<?> child, String name, boolean optional) {
    assertThat(child.isRequested(EVERYTHING)).isTrue();
    assertThat(child.isRequested(minimal())).isEqualTo(!optional);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("children")
  void declaresAPartWithAConditionAndAReasonForForeignObjects(
      WorkloadChildDependent<?> child, String name, boolean optional) {
    var part = child.part();

    assertThat(part.conditionType()).endsWith("Ready");
    assertThat(part.notOwned().name()).endsWith("NotOwned");
    assertThat(part.specField() != null).isEqualTo(optional);
  }

  @Test
  void ownedMeansAnOwnerReferenceToThisVeryWorkloadByUid() {
    var workload = minimal();
    workload.getMetadata().setUid("uid-1");
    var ours = serviceAccountOwnedBy("SecureWorkload", "api", "uid-1");
    var sameNameOtherUid = serviceAccountOwnedBy("SecureWorkload", "api", "uid-2");
    var noOwner =
        new ServiceAccountBuilder().withNewMetadata().withName("api").endMetadata().build();

    assertThat(WorkloadChildDependent.isOwnedBy(ours, workload)).isTrue();
    assertThat(WorkloadChildDependent.isOwnedBy(sameNameOtherUid, workload)).isFalse();
    assertThat(WorkloadChildDependent.isOwnedBy(noOwner, workload)).isFalse();
  }

  private static io.fabric8.kubernetes.api.model.ServiceAccount serviceAccountOwnedBy(
      String kind, String name, String uid) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName("api")
        .withOwnerReferences(
            new OwnerReferenceBuilder().withKind(kind).withName(name).withUid(uid).build())
        .endMetadata()
        .build();
  }

  private static Context<SecureWorkload> context() {
    var workflow = mock(ManagedWorkflowAndDependentResourceContext.class);
    when(workflow.get(IamRoleDependentResource.ROLE_CONTEXT_KEY, ActualRole.class))
        .thenReturn(Optional.empty());
    return TestContexts.admitting(workflow);
  }
}
