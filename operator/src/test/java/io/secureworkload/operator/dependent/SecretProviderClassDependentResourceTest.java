package io.secureworkload.operator.dependent;

import static io.secureworkload.operator.testsupport.TestWorkloads.minimal;
import static io.secureworkload.operator.testsupport.TestWorkloads.withSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.JmesPathEntry;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestContexts;
import io.secureworkload.operator.testsupport.TestServices;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.thirdparty.SecretProviderClassSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretProviderClassDependentResourceTest {

  private static final String SECRETS =
      """
      secrets:
        objects:
          - name: prod/db
            type: secretsmanager
            alias: db.json
            versionLabel: AWSCURRENT
            jmesPath:
              - {path: username, alias: db-user}
              - {path: password, alias: db-password}
          - name: /app/url
            type: ssmparameter
      """;

  private final SecretProviderClassDependentResource dependent =
      new SecretProviderClassDependentResource(TestServices.of(TestSettings.inRegion("us-west-2")));

  private final Context<SecureWorkload> context = TestContexts.planned(IdentityMode.IRSA);

  @Test
  void theProviderUsesPodIdentityOnlyInThatMode() {
    assertThat(dependent.desired(withSpec(SECRETS), context).getSpec().getParameters())
        .doesNotContainKey(SecretProviderClassDependentResource.USE_POD_IDENTITY);
    assertThat(
            dependent
                .desired(withSpec(SECRETS), TestContexts.planned(IdentityMode.PodIdentity))
                .getSpec()
                .getParameters())
        .containsEntry(SecretProviderClassDependentResource.USE_POD_IDENTITY, "true");
  }

  @Test
  void providerIsAws() {
    assertThat(dependent.desired(withSpec(SECRETS), context).getSpec().getProvider())
        .isEqualTo("aws");
  }

  @Test
  void isRequestedOnlyWithSecrets() {
    assertThat(dependent.isRequested(withSpec(SECRETS))).isTrue();
    assertThat(dependent.isRequested(minimal())).isFalse();
  }

  @Test
  void namesTheSecretProviderClassCrd() {
    assertThat(dependent.crdName()).isEqualTo("secretproviderclasses.secrets-store.csi.x-k8s.io");
  }

  @Test
  void objectsParameterParsesBackToEveryObjectWithItsFields() {
    var spc = dependent.desired(withSpec(SECRETS), context);

    assertThat(parseObjects(spc.getSpec().getParameters().get("objects")))
        .containsExactly(
            Map.of(
                "objectName", "prod/db",
                "objectType", "secretsmanager",
                "objectAlias", "db.json",
                "objectVersionLabel", "AWSCURRENT",
                "jmesPath",
                    List.of(
                        Map.of("path", "username", "objectAlias", "db-user"),
                        Map.of("path", "password", "objectAlias", "db-password"))),
            Map.of(
                "objectName", "/app/url", "objectType", "ssmparameter", "objectAlias", "_app_url"));
  }

  @Test
  void objectAliasIsOmittedWhenTheNameIsAlreadyAPlainFileName() {
    var objects = objects("- {name: db, type: secretsmanager}\n");

    assertThat(parseObjects(SecretProviderClassDependentResource.objectsParameter(objects)))
        .containsExactly(Map.of("objectName", "db", "objectType", "secretsmanager"));
  }

  @Test
  void objectsParameterCarriesTheVersion() {
    var objects =
        objects(
            """
            - {name: db, type: secretsmanager, version: 01234567-89ab-cdef-0123-456789abcdef}
            - {name: /app/url, type: ssmparameter, version: "3"}
            """);

    assertThat(parseObjects(SecretProviderClassDependentResource.objectsParameter(objects)))
        .containsExactly(
            Map.of(
                "objectName", "db",
                "objectType", "secretsmanager",
                "objectVersion", "01234567-89ab-cdef-0123-456789abcdef"),
            Map.of(
                "objectName", "/app/url",
                "objectType", "ssmparameter",
                "objectAlias", "_app_url",
                "objectVersion", "3"));
  }

  @Test
  void valuesWithQuotesColonsSlashesAndYamlSyntaxSurviveTheRoundTrip() {
    var arn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-AbCdEf";
    var path = "credentials.\"user:name\" || 'fallback' # not a comment";
    var label = "- [not, a, list]: {nor: a map} & *alias \\ back\\slash\n\ttabbed";
    var objects = objects("- {name: placeholder, type: secretsmanager, alias: db}\n");
    objects.get(0).setName(arn);
    objects.get(0).setVersionLabel(label);
    objects.get(0).setJmesPath(List.of(jmesPath(path, "user")));

    var parsed = parseObjects(SecretProviderClassDependentResource.objectsParameter(objects));

    assertThat(parsed)
        .containsExactly(
            Map.of(
                "objectName",
                arn,
                "objectType",
                "secretsmanager",
                "objectAlias",
                "db",
                "objectVersionLabel",
                label,
                "jmesPath",
                List.of(Map.of("path", path, "objectAlias", "user"))));
  }

  @Test
  void valuesThatYamlWouldReadAsOtherTypesStayStrings() {
    var objects =
        objects(
            """
            - {name: "true", type: ssmparameter, alias: "null", version: "010"}
            - {name: "1e3", type: secretsmanager, versionLabel: "~"}
            """);

    assertThat(parseObjects(SecretProviderClassDependentResource.objectsParameter(objects)))
        .containsExactly(
            Map.of(
                "objectName", "true",
                "objectType", "ssmparameter",
                "objectAlias", "null",
                "objectVersion", "010"),
            Map.of("objectName", "1e3", "objectType", "secretsmanager", "objectVersionLabel", "~"));
  }

  @Test
  void objectsParameterIsTheSameStringForTheSameSpec() {
    var first = dependent.desired(withSpec(SECRETS), context);
    var second = dependent.desired(withSpec(SECRETS), context);

    assertThat(first.getSpec().getParameters().get("objects"))
        .isEqualTo(second.getSpec().getParameters().get("objects"));
  }

  @Test
  void regionParameterOnlyWhenTheSpecSetsIt() {
    var withRegion = SECRETS.replace("secrets:\n", "secrets:\n  region: eu-west-1\n");

    assertThat(dependent.desired(withSpec(SECRETS), context).getSpec().getParameters())
        .containsOnlyKeys("objects");
    assertThat(dependent.desired(withSpec(withRegion), context).getSpec().getParameters())
        .containsEntry("region", "eu-west-1")
        .containsOnlyKeys("objects", "region");
  }

  @Test
  void noSecretObjectsWithoutSyncToSecrets() {
    assertThat(dependent.desired(withSpec(SECRETS), context).getSpec().getSecretObjects()).isNull();
  }

  @Test
  void syncToSecretsBecomesSecretObjects() {
    var workload =
        withSpec(
            SECRETS
                + """
                    syncToSecrets:
                      - secretName: db-credentials
                        labels: {team: payments}
                        annotations: {note: "synced: from Secrets Manager"}
                        data:
                          - {key: username, objectAlias: db-user}
                          - {key: password, objectAlias: db-password}
                      - secretName: app-tls
                        type: kubernetes.io/tls
                        data:
                          - {key: tls.crt, objectAlias: db.json}
                  """);

    var secretObjects = dependent.desired(workload, context).getSpec().getSecretObjects();

    assertThat(secretObjects)
        .containsExactly(
            new SecretProviderClassSpec.SecretObject(
                "db-credentials",
                "Opaque",
                Map.of("team", "payments"),
                Map.of("note", "synced: from Secrets Manager"),
                List.of(
                    new SecretProviderClassSpec.SecretObjectData("db-user", "username"),
                    new SecretProviderClassSpec.SecretObjectData("db-password", "password"))),
            new SecretProviderClassSpec.SecretObject(
                "app-tls",
                "kubernetes.io/tls",
                null,
                null,
                List.of(new SecretProviderClassSpec.SecretObjectData("db.json", "tls.crt"))));
  }

  @Test
  void emptyLabelsAndAnnotationsOfASyncedSecretAreLeftOut() {
    var workload =
        withSpec(
            SECRETS
                + """
                    syncToSecrets:
                      - secretName: db-credentials
                        labels: {}
                        annotations: {}
                        data:
                          - {key: username, objectAlias: db-user}
                  """);

    var secretObject = dependent.desired(workload, context).getSpec().getSecretObjects().get(0);

    assertThat(secretObject.getLabels()).isNull();
    assertThat(secretObject.getAnnotations()).isNull();
    assertThat(secretObject.getType()).isEqualTo("Opaque");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> parseObjects(String yaml) {
    return Serialization.unmarshal(yaml, List.class);
  }

  private static List<SecretObject> objects(String yaml) {
    return withSpec("secrets:\n  objects:\n" + yaml.indent(4)).getSpec().getSecrets().getObjects();
  }

  private static JmesPathEntry jmesPath(String path, String alias) {
    return new JmesPathEntry(path, alias);
  }
}
