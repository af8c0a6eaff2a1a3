package io.secureworkload.operator.iam;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.secureworkload.operator.api.PolicyStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the IAM policy documents of a workload and compares documents by meaning.
 *
 * <p>IAM hands documents back URL-encoded, with its own key order, and may turn a one-element array
 * into a scalar. Comparing text would rewrite every role on every reconciliation, so documents are
 * normalised first: decoded, parsed, keys sorted, every value list treated as a sorted set,
 * statements treated as an unordered set.
 */
public final class PolicyDocuments {

  public static final String VERSION = "2012-10-17";
  public static final String STS_AUDIENCE = "sts.amazonaws.com";

  /** The service EKS Pod Identity assumes roles as. */
  public static final String POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";

  /** The session tags EKS Pod Identity sets, which bind a role to one ServiceAccount. */
  public static final String TAG_CLUSTER_ARN = "aws:RequestTag/eks-cluster-arn";

  public static final String TAG_NAMESPACE = "aws:RequestTag/kubernetes-namespace";
  public static final String TAG_SERVICE_ACCOUNT = "aws:RequestTag/kubernetes-service-account";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Keys whose value is a string or a list of strings, where order and duplicates carry no meaning.
   */
  private static final Set<String> SET_VALUED =
      Set.of("Action", "NotAction", "Resource", "NotResource");

  private PolicyDocuments() {}

  /**
   * The trust policy: only {@code system:serviceaccount:<namespace>:<serviceAccount>}, with the STS
   * audience, may assume the role through the cluster's OIDC provider.
   */
  public static String trustPolicy(
      String oidcProviderArn, String issuerHostPath, String namespace, String serviceAccount) {
    return document(
        List.of(webIdentityStatement(oidcProviderArn, issuerHostPath, namespace, serviceAccount)));
  }

  /** A trust of these statements ({@link #webIdentityStatement}, {@link #podIdentityStatement}). */
  public static String trust(List<ObjectNode> statements) {
    return document(statements);
  }

  /** IRSA: the ServiceAccount's token, with the STS audience, through the OIDC provider. */
  public static ObjectNode webIdentityStatement(
      String oidcProviderArn, String issuerHostPath, String namespace, String serviceAccount) {
    return webIdentity(
        oidcProviderArn,
        issuerHostPath,
        "system:serviceaccount:" + namespace + ":" + serviceAccount);
  }

  /**
   * EKS Pod Identity: {@code pods.eks.amazonaws.com} may assume the role and tag the session only
   * with the session tags of this cluster, namespace and ServiceAccount. Without these conditions
   * any association in the account could bind the role to any ServiceAccount.
   */
  public static ObjectNode podIdentityStatement(
      String clusterArn, String namespace, String serviceAccount) {
    var statement = NODES.objectNode();
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("Service", POD_IDENTITY_SERVICE);
    statement.putArray("Action").add("sts:AssumeRole").add("sts:TagSession");
    var equals = statement.putObject("Condition").putObject("StringEquals");
    equals.put(TAG_CLUSTER_ARN, clusterArn);
    equals.put(TAG_NAMESPACE, namespace);
    equals.put(TAG_SERVICE_ACCOUNT, serviceAccount);
    return statement;
  }

  /**
   * The trust of a role whose trust is cut ({@link TrustCut}): the same shape, with a subject no
   * token of the cluster's issuer carries.
   */
  public static String cutTrustPolicy(String oidcProviderArn, String issuerHostPath) {
    return document(List.of(webIdentity(oidcProviderArn, issuerHostPath, TrustCut.SUBJECT)));
  }

  private static ObjectNode webIdentity(
      String oidcProviderArn, String issuerHostPath, String subject) {
    var statement = NODES.objectNode();
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("Federated", oidcProviderArn);
    statement.put("Action", "sts:AssumeRoleWithWebIdentity");
    var equals = statement.putObject("Condition").putObject("StringEquals");
    equals.put(issuerHostPath + ":sub", subject);
    equals.put(issuerHostPath + ":aud", STS_AUDIENCE);
    return statement;
  }

  /**
   * The inline policy: the spec's statements plus the ones the operator derives (secret access), or
   * null when there are none.
   */
  public static String inlinePolicy(List<PolicyStatement> statements, List<ObjectNode> derived) {
    if ((statements == null || statements.isEmpty()) && derived.isEmpty()) {
      return null;
    }
    // Written as it is generated rather than as a tree first: the document is written for every
    // decision, and the tree cost more than the text. The text is the tree's, character for
    // character: the same generator, the same fields in the same order.
    var text = Text.forThisThread();
    try (var json = MAPPER.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("Version", VERSION);
      json.writeArrayFieldStart("Statement");
      if (statements != null) {
        for (var statement : statements) {
          write(json, statement);
        }
      }
      for (var node : derived) {
        MAPPER.writeTree(json, node);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.takeString();
  }

  /**
   * Where a thread writes its documents, kept from one to the next: a document is several KiB, and
   * growing a new buffer to that size for every decision cost more than the document itself. One
   * that grew past {@link #KEPT_CHARACTERS} for an unusual document is let go.
   */
  private static final class Text extends Writer {

    private static final int KEPT_CHARACTERS = 64 * 1024;
    private static final ThreadLocal<Text> BUFFERS = ThreadLocal.withInitial(Text::new);

    private StringBuilder buffer = new StringBuilder(16 * 1024);

    static Text forThisThread() {
      var text = BUFFERS.get();
      text.buffer.setLength(0);
      return text;
    }

    String takeString() {
      var taken = buffer.toString();
      if (buffer.capacity() > KEPT_CHARACTERS) {
        buffer = new StringBuilder(16 * 1024);
      }
      return taken;
    }

    @Override
    public void write(char[] characters, int offset, int length) {
      buffer.append(characters, offset, length);
    }

    @Override
    public void write(String characters, int offset, int length) {
      buffer.append(characters, offset, offset + length);
    }

    @Override
    public void write(int character) {
      buffer.append((char) character);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static void write(JsonGenerator json, PolicyStatement statement) throws IOException {
    json.writeStartObject();
    if (statement.getSid() != null) {
      json.writeStringField("Sid", statement.getSid());
    }
    var effect =
        statement.getEffect() == null ? PolicyStatement.Effect.Allow : statement.getEffect();
    json.writeStringField("Effect", effect.name());
    writeStringOrList(json, "Action", statement.getActions());
    writeStringOrList(json, "Resource", statement.getResources());
    if (statement.getConditions() != null && !statement.getConditions().isEmpty()) {
      json.writeObjectFieldStart("Condition");
      for (var operator : new TreeMap<>(statement.getConditions()).entrySet()) {
        json.writeObjectFieldStart(operator.getKey());
        for (var key : new TreeMap<>(operator.getValue()).entrySet()) {
          writeStringOrList(json, key.getKey(), key.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void writeStringOrList(JsonGenerator json, String field, List<String> values)
      throws IOException {
    if (values.size() == 1) {
      json.writeStringField(field, values.get(0));
      return;
    }
    json.writeArrayFieldStart(field);
    for (var value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  /** True when both documents grant the same, however IAM spelled them. */
  public static boolean equivalent(String left, String right) {
    if (left == null || right == null) {
      return left == null && right == null;
    }
    return normalise(left).equals(normalise(right));
  }

  /** The canonical form of a document, possibly URL-encoded as IAM returns it. */
  public static JsonNode normalise(String document) {
    return canonical(parse(decode(document)), null);
  }

  /** Decodes a document as IAM returns it; a document that is already JSON stays as it is. */
  public static String decode(String document) {
    if (document == null) {
      return null;
    }
    var trimmed = document.trim();
    if (trimmed.startsWith("{")) {
      return trimmed;
    }
    // IAM percent-encodes (RFC 3986): a literal '+' is a plus, not a form-encoded space.
    return URLDecoder.decode(trimmed.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A statement in our own form, used to add generated statements (secret access, later). */
  public static ObjectNode statement(String sid, List<String> actions, List<String> resources) {
    var node = NODES.objectNode();
    node.put("Sid", sid);
    node.put("Effect", "Allow");
    node.set("Action", stringOrList(actions));
    node.set("Resource", stringOrList(resources));
    return node;
  }

  private static JsonNode stringOrList(List<String> values) {
    if (values.size() == 1) {
      return TextNode.valueOf(values.get(0));
    }
    var array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private static String document(List<ObjectNode> statements) {
    var root = NODES.objectNode();
    root.put("Version", VERSION);
    var array = root.putArray("Statement");
    statements.forEach(array::add);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Not a JSON policy document: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Sorted keys everywhere; under "Statement" an unordered set of statements; under a set-valued
   * key, inside a Principal and inside a Condition, a sorted list of distinct strings.
   */
  private static JsonNode canonical(JsonNode node, String key) {
    if ("Statement".equals(key)) {
      var statements = new ArrayList<JsonNode>();
      if (node.isArray()) {
        node.forEach(statement -> statements.add(canonical(statement, "Statement[]")));
      } else {
        statements.add(canonical(node, "Statement[]"));
      }
      return sortedSet(statements);
    }
    if (isSetValued(key)) {
      var values = new ArrayList<JsonNode>();
      if (node.isArray()) {
        node.forEach(values::add);
      } else {
        values.add(node);
      }
      return sortedSet(values);
    }
    if (node.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      node.fields()
          .forEachRemaining(
              field ->
                  sorted.put(
                      field.getKey(),
                      canonical(field.getValue(), childContext(key, field.getKey()))));
      return objectOf(sorted);
    }
    return node;
  }

  private static String childContext(String parent, String key) {
    if ("Principal".equals(parent) || "NotPrincipal".equals(parent)) {
      return "value-set";
    }
    if ("Condition".equals(parent)) {
      return "condition-operator";
    }
    if ("condition-operator".equals(parent)) {
      return "value-set";
    }
    if ("Statement[]".equals(parent) && SET_VALUED.contains(key)) {
      return "value-set";
    }
    return key;
  }

  private static boolean isSetValued(String key) {
    return "value-set".equals(key);
  }

  private static ObjectNode objectOf(Map<String, JsonNode> fields) {
    var object = NODES.objectNode();
    fields.forEach(object::set);
    return object;
  }

  private static ArrayNode sortedSet(List<JsonNode> values) {
    var distinct = new TreeMap<String, JsonNode>();
    values.forEach(value -> distinct.put(value.toString(), value));
    var array = NODES.arrayNode();
    distinct.values().stream().sorted(Comparator.comparing(JsonNode::toString)).forEach(array::add);
    return array;
  }
}
