package io.secureworkload.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The generated CRD on a real API server: every example in {@code examples/} is accepted as
 * written, and each invalid spec is rejected with the path of the offending field and the reason.
 */
class CrdValidationIT {

  private static final String CRD_NAME = "secureworkloads.secureworkload.io";
  private static final String CRD_RESOURCE = "/META-INF/fabric8/" + CRD_NAME + "-v1.yml";
  private static final Path EXAMPLES = TestPaths.repoRoot().resolve("examples");

  /** Valid, with one small instance of every part, so each invalid case changes one thing. */
  private static final String BASE =
      """
      apiVersion: secureworkload.io/v1alpha1
      kind: SecureWorkload
      metadata:
        name: invalid-case
      spec:
        selector:
          matchLabels: {app: demo, app.kubernetes.io/part-of: shop}
        serviceAccount:
          name: demo
          tokenExpirationSeconds: 3600
        iam:
          statements:
            - sid: ReadObjects
              actions: [s3:GetObject]
              resources: ['arn:aws:s3:::demo-bucket/*']
          managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']
          maxSessionDurationSeconds: 3600
          deletionPolicy: Delete
        secrets:
          region: eu-west-1
          objects:
            - name: prod/db/password
              type: secretsmanager
              alias: db-password
              jmesPath:
                - {path: password, alias: password}
            - name: /demo/feature-flags
              type: ssmparameter
              alias: feature-flags
          syncToSecrets:
            - secretName: db-credentials
              data:
                - {key: password, objectAlias: password}
          kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab']
        securityGroups:
          groupIds: [sg-0123456789abcdef0]
        network:
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: 8080}]
          egress:
            - to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}}]
              ports: [{protocol: TCP, port: 5432}]
      """;

  private static final String SHOULD_MATCH = "in body should match '^";

  private static KubernetesClient client;
  private static String namespace;

  static Stream<Named<InvalidCase>> invalidCases() {
    return Stream.of(
            // The selector
            invalid("selector missing", remove("selector"), "spec.selector", "Required value"),
            invalid(
                "empty matchLabels",
                set("selector.matchLabels", "{}"),
                "spec.selector.matchLabels",
                "should have at least 1 properties"),
            invalid(
                "invalid label key",
                set("selector.matchLabels", "{'-app': demo}"),
                "spec.selector.matchLabels",
                "label keys must be valid Kubernetes label keys"),
            invalid(
                "invalid label value",
                set("selector.matchLabels.app", "-demo"),
                "spec.selector.matchLabels.app",
                SHOULD_MATCH),
            // The ServiceAccount
            invalid(
                "serviceAccount name not a DNS label",
                set("serviceAccount.name", "Bad_Name"),
                "spec.serviceAccount.name",
                SHOULD_MATCH),
            invalid(
                "tokenExpirationSeconds below 600",
                set("serviceAccount.tokenExpirationSeconds", "10"),
                "spec.serviceAccount.tokenExpirationSeconds",
                "should be greater than or equal to 600"),
            // IAM
            invalid(
                "action without service prefix",
                set("iam.statements[0].actions[0]", "GetObject"),
                "spec.iam.statements[0].actions[0]",
                SHOULD_MATCH),
            invalid(
                "resource neither ARN nor *",
                set("iam.statements[0].resources[0]", "demo-bucket/*"),
                "spec.iam.statements[0].resources[0]",
                SHOULD_MATCH),
            invalid(
                "duplicate statement sids",
                duplicate("iam.statements[0]"),
                "spec.iam.statements",
                "sids must be unique"),
            invalid(
                "managed policy ARN malformed",
                set("iam.managedPolicyArns[0]", "AmazonS3ReadOnlyAccess"),
                "spec.iam.managedPolicyArns[0]",
                SHOULD_MATCH),
            invalid(
                "duplicate managed policy ARNs",
                duplicate("iam.managedPolicyArns[0]"),
                "spec.iam.managedPolicyArns",
                "entries must be unique"),
            invalid(
                "maxSessionDurationSeconds below an hour",
                set("iam.maxSessionDurationSeconds", "100"),
                "spec.iam.maxSessionDurationSeconds",
                "should be greater than or equal to 3600"),
            invalid(
                "maxSessionDurationSeconds above 12 hours",
                set("iam.maxSessionDurationSeconds", "50000"),
                "spec.iam.maxSessionDurationSeconds",
                "should be less than or equal to 43200"),
            invalid(
                "deletionPolicy Destroy",
                set("iam.deletionPolicy", "Destroy"),
                "spec.iam.deletionPolicy",
                "Unsupported value: \"Destroy\""),
            // Secrets
            invalid(
                "secrets.objects empty",
                set("secrets.objects", "[]"),
                "spec.secrets.objects",
                "should have at least 1 items"),
            invalid(
                "object type vault",
                set("secrets.objects[0].type", "vault"),
                "spec.secrets.objects[0].type",
                "Unsupported value: \"vault\""),
            invalid(
                "duplicate aliases",
                set("secrets.objects[1].alias", "db-password"),
                "spec.secrets.objects",
                "each object's file name (its alias, else its name with / turned into _) must be"
                    + " unique"),
            invalid(
                "names that become the same file",
                set(
                    "secrets.objects",
                    "[{name: team/db, type: secretsmanager}, {name: team_db, type: secretsmanager}]"),
                "spec.secrets.objects",
                "each object's file name (its alias, else its name with / turned into _) must be"
                    + " unique"),
            invalid(
                "full-ARN name without alias",
                set(
                    "secrets.objects[1]",
                    "{name: 'arn:aws:ssm:eu-west-1:111122223333:parameter/demo/flags',"
                        + " type: ssmparameter}"),
                "spec.secrets.objects[1].alias",
                "alias is required when name is a full ARN"),
            invalid(
                "jmesPath entry without alias",
                remove("secrets.objects[0].jmesPath[0].alias"),
                "spec.secrets.objects[0].jmesPath[0].alias",
                "Required value"),
            invalid(
                "version on an ssmparameter object",
                set("secrets.objects[1].version", "'3'"),
                "spec.secrets.objects[1].version",
                "version applies to secretsmanager objects only"),
            invalid(
                "syncToSecrets objectAlias referring to nothing",
                set("secrets.syncToSecrets[0].data[0].objectAlias", "nothing"),
                "spec.secrets.syncToSecrets",
                "objectAlias must name an object of objects[]"),
            invalid(
                "secrets region mars-1",
                set("secrets.region", "mars-1"),
                "spec.secrets.region",
                SHOULD_MATCH),
            invalid(
                "kmsKeyArns entry malformed",
                set("secrets.kmsKeyArns[0]", "alias/db-secrets"),
                "spec.secrets.kmsKeyArns[0]",
                SHOULD_MATCH),
            // Values other controllers act on
            invalid(
                "synced Secret of type service-account-token",
                set("secrets.syncToSecrets[0].type", "kubernetes.io/service-account-token"),
                "spec.secrets.syncToSecrets[0].type",
                SHOULD_MATCH),
            invalid(
                "synced Secret annotation with a prefix",
                set(
                    "secrets.syncToSecrets[0].annotations",
                    "{'kubernetes.io/service-account.name': default}"),
                "spec.secrets.syncToSecrets[0].annotations",
                "keys may have no prefix"),
            invalid(
                "synced Secret labelled as a Helm release",
                set("secrets.syncToSecrets[0].labels", "{owner: helm, name: shop}"),
                "spec.secrets.syncToSecrets[0].labels",
                "the label owner is Helm's"),
            invalid(
                "alias that is the parent directory",
                set("secrets.objects[0].alias", "'..'"),
                "spec.secrets.objects[0].alias",
                SHOULD_MATCH),
            invalid(
                "jmesPath with a function",
                set("secrets.objects[0].jmesPath[0].path", "'keys(@)'"),
                "spec.secrets.objects[0].jmesPath[0].path",
                SHOULD_MATCH),
            invalid(
                "versionLabel with a space",
                set("secrets.objects[0].versionLabel", "'AWS CURRENT'"),
                "spec.secrets.objects[0].versionLabel",
                SHOULD_MATCH),
            // Security groups
            invalid(
                "groupIds empty",
                set("securityGroups.groupIds", "[]"),
                "spec.securityGroups.groupIds",
                "should have at least 1 items"),
            invalid(
                "group id sg-xyz",
                set("securityGroups.groupIds[0]", "sg-xyz"),
                "spec.securityGroups.groupIds[0]",
                SHOULD_MATCH),
            invalid(
                "duplicate groupIds",
                duplicate("securityGroups.groupIds[0]"),
                "spec.securityGroups.groupIds",
                "entries must be unique"),
            // Network
            invalid(
                "port 0",
                set("network.ingress[0].ports[0].port", "0"),
                "spec.network.ingress[0].ports[0].port",
                "should be greater than or equal to 1"),
            invalid(
                "port 70000",
                set("network.ingress[0].ports[0].port", "70000"),
                "spec.network.ingress[0].ports[0].port",
                "should be less than or equal to 65535"),
            invalid(
                "endPort below port",
                set("network.egress[0].ports[0].endPort", "5000"),
                "spec.network.egress[0].ports[0].endPort",
                "endPort must not be below port"),
            invalid(
                "protocol ICMP",
                set("network.egress[0].ports[0].protocol", "ICMP"),
                "spec.network.egress[0].ports[0].protocol",
                "Unsupported value: \"ICMP\""),
            invalid(
                "peer with both ipBlock and podSelector",
                set("network.ingress[0].from[0].ipBlock", "{cidr: 10.0.0.0/16}"),
                "spec.network.ingress[0].from[0]",
                "set either ipBlock, or podSelector and/or namespaceSelector"),
            invalid(
                "peer with neither ipBlock nor selectors",
                set("network.ingress[0].from[0]", "{}"),
                "spec.network.ingress[0].from[0]",
                "set either ipBlock, or podSelector and/or namespaceSelector"),
            invalid(
                "ipBlock cidr 10.0.0.0/33",
                set("network.egress[0].to[0].ipBlock.cidr", "10.0.0.0/33"),
                "spec.network.egress[0].to[0].ipBlock.cidr",
                "cidr must be a CIDR block"),
            invalid(
                "ipBlock cidr as an IPv4-mapped IPv6 block",
                set("network.egress[0].to[0].ipBlock.cidr", "'::ffff:10.0.0.0/112'"),
                "spec.network.egress[0].to[0].ipBlock.cidr",
                "cidr must be a CIDR block"),
            invalid(
                "ipBlock cidr with leading zeros",
                set("network.egress[0].to[0].ipBlock.cidr", "010.0.0.0/16"),
                "spec.network.egress[0].to[0].ipBlock.cidr",
                "cidr must be a CIDR block"),
            invalid(
                "ipBlock except outside cidr",
                set("network.egress[0].to[0].ipBlock.except[0]", "192.168.0.0/24"),
                "spec.network.egress[0].to[0].ipBlock.except",
                "each except entry must be a CIDR block strictly inside cidr"),
            invalid(
                "ipBlock except equal to cidr",
                set("network.egress[0].to[0].ipBlock.except[0]", "10.0.0.0/16"),
                "spec.network.egress[0].to[0].ipBlock.except",
                "each except entry must be a CIDR block strictly inside cidr"),
            invalid(
                "peer selector with invalid label key",
                set("network.ingress[0].from[0].podSelector.matchLabels", "{'app/': frontend}"),
                "spec.network.ingress[0].from[0].podSelector.matchLabels",
                "label keys must be valid Kubernetes label keys"),
            invalid(
                "peer selector with invalid label value",
                set("network.ingress[0].from[0].podSelector.matchLabels.app", "front end"),
                "spec.network.ingress[0].from[0].podSelector.matchLabels.app",
                SHOULD_MATCH))
        .map(c -> Named.of(c.name(), c));
  }

  @BeforeAll
  static void installCrdAndCreateNamespace() throws IOException {
    client = KubeApiServer.get().newClient();
    CustomResourceDefinition crd;
    try (InputStream generated = CrdValidationIT.class.getResourceAsStream(CRD_RESOURCE)) {
      assertThat(generated).as("generated CRD %s on the test classpath", CRD_RESOURCE).isNotNull();
      crd = client.apiextensions().v1().customResourceDefinitions().load(generated).item();
    }
    // The API server checks the CEL rules' cost here and rejects the whole CRD if it is too high.
    // Applied as the operator tests apply it, so that the shared API server sees one owner.
    Crds.applyAndAwaitEstablished(client, crd);

    namespace = "crd-validation-" + System.nanoTime();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void baseOfTheInvalidCasesIsValid() {
    GenericKubernetesResource base = resource(BASE);

    GenericKubernetesResource stored = createAccepted(base);
    try {
      assertEverySentFieldStored(base.get("spec"), stored.get("spec"), "spec", base);
    } finally {
      delete(base);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleDocuments")
  void exampleIsAcceptedAndStoredAsWritten(String document, GenericKubernetesResource example) {
    assertThat(example.getMetadata().getNamespace())
        .as("namespace of %s: examples apply to whichever namespace the user picks", document)
        .isNull();

    GenericKubernetesResource stored = createAccepted(example);
    try {
      assertEverySentFieldStored(example.get("spec"), stored.get("spec"), "spec", example);
      SecureWorkload typed =
          client
              .resources(SecureWorkload.class)
              .inNamespace(namespace)
              .withName(example.getMetadata().getName())
              .get();
      assertThat(typed.getSpec().getSelector().getMatchLabels())
          .as("selector of %s as the operator reads it", document)
          .isEqualTo(example.get("spec", "selector", "matchLabels"));
    } finally {
      delete(example);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void invalidSpecIsRejectedNamingTheField(InvalidCase invalidCase) {
    GenericKubernetesResource sent = resource(BASE);
    invalidCase.mutation().apply(sent.get("spec"));

    KubernetesClientException rejection = createExpectingRejection(invalidCase, sent);

    // The API server's own message, without the client's request line and Status dump.
    String message =
        rejection.getStatus() != null ? rejection.getStatus().getMessage() : rejection.getMessage();
    assertThat(rejection.getCode())
        .as("%s: HTTP status of the rejection of%n%s%n%s", invalidCase, yaml(sent), message)
        .isEqualTo(422);
    // "path: " so that spec.x does not pass for a message about spec.x[0] or spec.xy.
    assertThat(message)
        .as("%s: rejection of%n%s", invalidCase, yaml(sent))
        .contains(invalidCase.field() + ": ")
        .contains(invalidCase.message());
  }

  @Test
  void nameLongerThanALabelValueIsRejected() {
    GenericKubernetesResource sent = resource(BASE);
    sent.getMetadata().setName("payments-api-" + "x".repeat(51));
    var invalidCase =
        invalid("name of 64 characters", spec -> {}, "metadata.name", "at most 63 characters");

    KubernetesClientException rejection = createExpectingRejection(invalidCase, sent);

    String message =
        rejection.getStatus() != null ? rejection.getStatus().getMessage() : rejection.getMessage();
    assertThat(rejection.getCode()).as(message).isEqualTo(422);
    assertThat(message)
        .contains("metadata.name must be at most 63 characters")
        .contains("secureworkload.io/name label");
  }

  /** Every document of every YAML file in examples/, as ("file name", document). */
  static Stream<Arguments> exampleDocuments() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files =
          listing.filter(p -> p.getFileName().toString().matches(".*[.]ya?ml")).sorted().toList();
    }
    assertThat(files).as("examples in %s", EXAMPLES).isNotEmpty();
    List<Arguments> documents = new ArrayList<>();
    for (Path file : files) {
      for (Object document :
          new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
        if (document != null) {
          GenericKubernetesResource example =
              Serialization.jsonMapper().convertValue(document, GenericKubernetesResource.class);
          documents.add(
              Arguments.of(file.getFileName() + " " + example.getMetadata().getName(), example));
        }
      }
    }
    return documents.stream();
  }

  private static GenericKubernetesResource createAccepted(GenericKubernetesResource resource) {
    try {
      return client.resource(resource).inNamespace(namespace).create();
    } catch (KubernetesClientException e) {
      throw new AssertionError(
          "The API server rejected%n%s%n%s".formatted(yaml(resource), e.getMessage()), e);
    }
  }

  private static KubernetesClientException createExpectingRejection(
      InvalidCase invalidCase, GenericKubernetesResource resource) {
    try {
      GenericKubernetesResource stored = client.resource(resource).inNamespace(namespace).create();
      delete(resource);
      return fail(
          "%s: the API server accepted%n%sand stored%n%s",
          invalidCase, yaml(resource), yaml(stored));
    } catch (KubernetesClientException e) {
      return e;
    }
  }

  private static void delete(GenericKubernetesResource resource) {
    client.resource(resource).inNamespace(namespace).delete();
  }

  /**
   * Fails if the API server dropped or changed a field that was sent; it may add defaults. A field
   * the schema does not know is pruned silently, which would hide a typo in an example.
   */
  private static void assertEverySentFieldStored(
      Object sent, Object stored, String path, GenericKubernetesResource resource) {
    if (sent instanceof Map<?, ?> sentMap && stored instanceof Map<?, ?> storedMap) {
      sentMap.forEach(
          (key, value) -> {
            String field = path + "." + key;
            if (!storedMap.containsKey(key)) {
              fail("%s was not stored (unknown to the schema?); sent%n%s", field, yaml(resource));
            }
            assertEverySentFieldStored(value, storedMap.get(key), field, resource);
          });
    } else if (sent instanceof List<?> sentList && stored instanceof List<?> storedList) {
      assertThat(storedList).as("%s of%n%s", path, yaml(resource)).hasSameSizeAs(sentList);
      for (int i = 0; i < sentList.size(); i++) {
        assertEverySentFieldStored(
            sentList.get(i), storedList.get(i), path + "[" + i + "]", resource);
      }
    } else if (!sameScalar(sent, stored)) {
      fail("%s was sent as %s but stored as %s; sent%n%s", path, sent, stored, yaml(resource));
    }
  }

  private static boolean sameScalar(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    return Objects.equals(a, b);
  }

  private static GenericKubernetesResource resource(String yaml) {
    return Serialization.jsonMapper().convertValue(parse(yaml), GenericKubernetesResource.class);
  }

  private static Object parse(String yaml) {
    return new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  private static String yaml(GenericKubernetesResource resource) {
    GenericKubernetesResource shown = Serialization.clone(resource);
    // Noise for a human: who wrote which field says nothing about why the spec is (in)valid.
    shown.getMetadata().setManagedFields(null);
    return Serialization.asYaml(shown);
  }

  // --- The table's vocabulary: a case, and mutations of the base spec by path ---

  record InvalidCase(String name, SpecMutation mutation, String field, String message) {
    @Override
    public String toString() {
      return "'" + name + "'";
    }
  }

  @FunctionalInterface
  interface SpecMutation {
    void apply(Map<String, Object> spec);
  }

  private static InvalidCase invalid(
      String name, SpecMutation mutation, String field, String message) {
    return new InvalidCase(name, mutation, field, message);
  }

  /** Sets the field at {@code path} (relative to spec, for example a.b[0].c) to a YAML value. */
  private static SpecMutation set(String path, String yamlValue) {
    return spec -> FieldPath.parse(path).set(spec, parse(yamlValue));
  }

  private static SpecMutation remove(String path) {
    return spec -> FieldPath.parse(path).remove(spec);
  }

  /** Appends a copy of the list element at {@code path} to its list. */
  private static SpecMutation duplicate(String path) {
    return spec -> {
      FieldPath element = FieldPath.parse(path);
      element.parentList(spec).add(Serialization.clone(element.get(spec)));
    };
  }

  /** A path such as {@code a.b[0].c}: map keys and list indexes, from the spec down. */
  private record FieldPath(String text, List<Object> steps) {

    static FieldPath parse(String text) {
      List<Object> steps = new ArrayList<>();
      for (String step : text.replace("[", ".[").split("[.]")) {
        steps.add(
            step.startsWith("[")
                ? (Object) Integer.valueOf(step.substring(1, step.length() - 1))
                : step);
      }
      return new FieldPath(text, steps);
    }

    Object get(Map<String, Object> spec) {
      return step(parent(spec), steps.get(steps.size() - 1));
    }

    @SuppressWarnings("unchecked")
    void set(Map<String, Object> spec, Object value) {
      Object parent = parent(spec);
      Object last = steps.get(steps.size() - 1);
      if (last instanceof Integer index) {
        ((List<Object>) parent).set(index, value);
      } else {
        ((Map<String, Object>) parent).put((String) last, value);
      }
    }

    void remove(Map<String, Object> spec) {
      Object parent = parent(spec);
      Object last = steps.get(steps.size() - 1);
      if (last instanceof Integer index) {
        ((List<?>) parent).remove(index.intValue());
      } else {
        ((Map<?, ?>) parent).remove(last);
      }
    }

    @SuppressWarnings("unchecked")
    List<Object> parentList(Map<String, Object> spec) {
      return (List<Object>) parent(spec);
    }

    private Object parent(Map<String, Object> spec) {
      Object node = spec;
      for (Object step : steps.subList(0, steps.size() - 1)) {
        node = step(node, step);
      }
      return node;
    }

    private Object step(Object node, Object step) {
      Object next =
          step instanceof Integer index
              ? ((List<?>) node).get(index)
              : ((Map<?, ?>) node).get(step);
      if (next == null) {
        throw new IllegalArgumentException("The base spec has nothing at " + step + " of " + text);
      }
      return next;
    }
  }
}
