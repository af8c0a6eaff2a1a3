package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Values other controllers act on stay on their allow-lists, in every mode. */
class PassedOnValuesTest {

  private static final String OBJECT = "objects: [{name: payments/db, type: secretsmanager}]";

  static Stream<Arguments> refused() {
    return Stream.of(
        arguments(
            "a service-account-token Secret",
            synced("type: kubernetes.io/service-account-token"),
            "spec.secrets.syncToSecrets[0].type"),
        arguments(
            "a bootstrap token",
            synced("type: bootstrap.kubernetes.io/token"),
            "spec.secrets.syncToSecrets[0].type"),
        arguments(
            "a Helm release record by its type",
            synced("type: helm.sh/release.v1"),
            "spec.secrets.syncToSecrets[0].type"),
        arguments(
            "a Helm release record by its label",
            synced("labels: {owner: helm, name: app, status: deployed}"),
            "spec.secrets.syncToSecrets[0].labels.owner"),
        arguments(
            "the token controller's annotation",
            synced("annotations: {'kubernetes.io/service-account.name': default}"),
            "spec.secrets.syncToSecrets[0].annotations.kubernetes.io/service-account.name"),
        arguments(
            "a replicator's annotation",
            synced("annotations: {'replicator.v1.mittwald.de/replicate-to': 'other-team'}"),
            "spec.secrets.syncToSecrets[0].annotations.replicator.v1.mittwald.de/replicate-to"),
        arguments(
            "Argo CD's cluster secret label",
            synced("labels: {'argocd.argoproj.io/secret-type': cluster}"),
            "spec.secrets.syncToSecrets[0].labels.argocd.argoproj.io/secret-type"),
        arguments(
            "an invalid label value",
            synced("labels: {team: 'a b'}"),
            "spec.secrets.syncToSecrets[0].labels.team"),
        arguments(
            "an object mounted as the parent directory",
            "secrets: {objects: [{name: payments/db, type: secretsmanager, alias: '..'}]}",
            "spec.secrets.objects[0].alias"),
        arguments(
            "an object named like the parent directory",
            "secrets: {objects: [{name: '..', type: secretsmanager}]}",
            "spec.secrets.objects[0].alias"),
        arguments(
            "a JMESPath function",
            "secrets: {objects: [{name: payments/db, type: secretsmanager,"
                + " jmesPath: [{path: 'keys(@)', alias: k}]}]}",
            "spec.secrets.objects[0].jmesPath[0].path"),
        arguments(
            "a jmesPath alias that is the mount itself",
            "secrets: {objects: [{name: payments/db, type: secretsmanager,"
                + " jmesPath: [{path: password, alias: '.'}]}]}",
            "spec.secrets.objects[0].jmesPath[0].alias"),
        arguments(
            "a version with YAML in it",
            "secrets: {objects: [{name: payments/db, type: secretsmanager,"
                + " version: \"1\\n  objectType: ssmparameter\"}]}",
            "spec.secrets.objects[0].version"),
        arguments(
            "a version label with a space",
            "secrets: {objects: [{name: payments/db, type: secretsmanager,"
                + " versionLabel: 'AWS CURRENT'}]}",
            "spec.secrets.objects[0].versionLabel"),
        arguments(
            "an object name with a newline",
            "secrets: {objects: [{name: \"payments/db\\nx\", type: secretsmanager, alias: db}]}",
            "spec.secrets.objects[0].name"),
        arguments(
            "a region that is no region",
            "secrets: {region: 'us-west-2,eu-west-1', " + OBJECT + "}",
            "spec.secrets.region"),
        arguments(
            "a security group id that is no id",
            "securityGroups: {groupIds: ['sg-0123456789abcdef0,sg-1']}",
            "spec.securityGroups.groupIds[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedEvenUnderAudit(String description, String spec, String field) {
    var verdict = evaluateUnderAuditOnly(spec);

    assertThat(verdict.violations())
        .filteredOn(v -> v.rule() == Rule.VALUE_NOT_ALLOWED)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).hasToString(field);
              assertThat(v.enforced()).isTrue();
              assertThat(v.policy()).isEqualTo(DefaultGuardrails.DEFAULT_POLICY_NAME);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Opaque",
        "kubernetes.io/tls",
        "kubernetes.io/basic-auth",
        "kubernetes.io/ssh-auth",
        "kubernetes.io/dockerconfigjson",
        "kubernetes.io/dockercfg",
      })
  void theSecretTypesNoControllerActsOnAreAllowed(String type) {
    assertThat(evaluate(synced("type: " + type)).violations()).isEmpty();
  }

  @Test
  void unprefixedLabelsAndAnnotationsAndPlainJmesPathsAreAllowed() {
    var spec =
        """
        secrets:
          objects:
          - name: payments/db
            type: secretsmanager
            alias: db.json
            versionLabel: AWSCURRENT
            jmesPath:
            - {path: username, alias: db-user}
            - {path: 'connection."host-name"', alias: .host}
          - {name: /payments/flags, type: ssmparameter, version: '3', versionLabel: prod_2}
          syncToSecrets:
          - secretName: db-credentials
            labels: {team: payments, app.tier: db}
            annotations: {note: 'synced: from Secrets Manager'}
            data: [{key: username, objectAlias: db-user}]
        securityGroups: {groupIds: [sg-0123abcd]}
        """;

    assertThat(evaluate(spec).violations())
        .filteredOn(v -> v.rule() == Rule.VALUE_NOT_ALLOWED)
        .isEmpty();
  }

  @Test
  void aRefusedSyncedSecretIsNarrowedAwayAlone() {
    var verdict =
        evaluate(
            """
            secrets:
              objects: [{name: payments/db, type: secretsmanager, alias: db}]
              syncToSecrets:
              - {secretName: token, type: kubernetes.io/service-account-token,
                 data: [{key: token, objectAlias: db}]}
              - {secretName: plain, data: [{key: password, objectAlias: db}]}
            """);

    var narrowed = verdict.narrowed();

    assertThat(narrowed.unresolved()).isEmpty();
    assertThat(narrowed.spec().getSecrets().getSyncToSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getSecretName()).isEqualTo("plain"));
    assertThat(narrowed.spec().getSecrets().getObjects()).hasSize(1);
  }

  private static String synced(String field) {
    return "secrets:\n  "
        + OBJECT
        + "\n  syncToSecrets:\n  - secretName: copy\n    "
        + field
        + "\n    data: [{key: k, objectAlias: payments_db}]\n";
  }

  private static Verdict evaluateUnderAuditOnly(String workloadSpec) {
    var audit = DefaultGuardrails.policy();
    audit.getSpec().setMode(Mode.Audit);
    return GuardrailEvaluator.evaluate(
        TestWorkloads.withSpec(workloadSpec),
        EffectivePolicy.of(List.of(audit)),
        Guardrails.context());
  }
}
