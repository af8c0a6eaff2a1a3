package io.secureworkload.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Proves that the test environment is real: an API server that applies and a moto that answers. */
class TestEnvironmentIT {

  private static final String FIELD_MANAGER = "test-environment-it";
  private static final String TRUST_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  @RegisterExtension static final MotoExtension moto = new MotoExtension();

  private static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client = KubeApiServer.get().newClient();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @Test
  void apiServerStoresServerSideAppliedObjectsWithTheirFieldManager() {
    String namespace = "test-environment-" + System.nanoTime();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("applied")
            .withNamespace(namespace)
            .endMetadata()
            .withData(Map.of("greeting", "hello"))
            .build();

    client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();

    ConfigMap stored = client.configMaps().inNamespace(namespace).withName("applied").get();
    assertThat(stored.getData()).containsExactlyEntriesOf(Map.of("greeting", "hello"));
    assertThat(stored.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(tuple(FIELD_MANAGER, "Apply"));
  }

  @Test
  void motoCreatesAndReadsIamRoles() {
    IamClient iam = moto.iamClient();

    iam.createRole(
        r -> r.roleName("sw-demo").path("/secureworkload/").assumeRolePolicyDocument(TRUST_POLICY));

    Role role = iam.getRole(r -> r.roleName("sw-demo")).role();
    assertThat(role.roleName()).isEqualTo("sw-demo");
    assertThat(role.path()).isEqualTo("/secureworkload/");
    assertThat(role.arn())
        .isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/secureworkload/sw-demo");
  }

  @Test
  void motoAnswersCallerIdentityWithItsAccount() {
    GetCallerIdentityResponse identity = moto.stsClient().getCallerIdentity();

    assertThat(identity.account()).isEqualTo(MotoServer.ACCOUNT_ID);
    assertThat(identity.arn()).startsWith("arn:aws:sts::" + MotoServer.ACCOUNT_ID + ":");
  }

  @Test
  void resetForgetsEveryRole() {
    IamClient iam = moto.iamClient();
    iam.createRole(r -> r.roleName("sw-forgotten").assumeRolePolicyDocument(TRUST_POLICY));

    moto.reset();

    assertThatThrownBy(() -> iam.getRole(r -> r.roleName("sw-forgotten")))
        .isInstanceOf(NoSuchEntityException.class);
  }
}
