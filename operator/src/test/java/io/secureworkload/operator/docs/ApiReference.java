package io.secureworkload.operator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * docs/api-reference.md, generated from the CRDs in {@code crds/}: every field of every kind, with
 * its type, whether it is required, its default, what admission checks and its description (the
 * Javadoc of the Java model).
 */
final class ApiReference {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ApiReference() {}

  static String render(Path crdDir) {
    var out = new StringBuilder();
    out.append("# API reference\n\n")
        .append(
            "<!-- Generated from crds/ by `make docs` (ApiReferenceUpToDateTest); do not edit. -->\n\n")
        .append(
            "Every field of the operator's custom resources, from their CRDs. `kubectl explain`\n")
        .append(
            "shows the same descriptions. Validation is what the API server checks at admission.\n");
    for (var crd : crds(crdDir)) {
      var names = crd.path("spec").path("names");
      for (var version : crd.path("spec").path("versions")) {
        out.append("\n## ")
            .append(names.path("kind").asText())
            .append(" (`")
            .append(crd.path("spec").path("group").asText())
            .append('/')
            .append(version.path("name").asText())
            .append("`)\n\n")
            .append(crd.path("spec").path("scope").asText())
            .append(", plural `")
            .append(names.path("plural").asText())
            .append('`');
        var shortNames = new ArrayList<String>();
        names.path("shortNames").forEach(n -> shortNames.add("`" + n.asText() + "`"));
        if (!shortNames.isEmpty()) {
          out.append(", short name ").append(String.join(", ", shortNames));
        }
        out.append(".\n\n| Field | Type | Required | Default | Validation | Description |\n")
            .append("|---|---|---|---|---|---|\n");
        var root = version.path("schema").path("openAPIV3Schema");
        fields(root, "", Set.of(), out);
      }
    }
    return out.toString();
  }

  private static List<JsonNode> crds(Path crdDir) {
    try (Stream<Path> files = Files.list(crdDir)) {
      var crds = new ArrayList<JsonNode>();
      for (var file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        crds.add(YAML.readTree(file.toFile()));
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void fields(JsonNode schema, String path, Set<String> unused, StringBuilder out) {
    var required = new HashSet<String>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    var names = new ArrayList<String>();
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      var field = schema.path("properties").path(name);
      String fieldPath = path.isEmpty() ? name : path + "." + name;
      row(fieldPath, field, required.contains(name), out);
      descend(field, fieldPath, out);
    }
  }

  private static void descend(JsonNode field, String fieldPath, StringBuilder out) {
    if (field.has("properties")) {
      fields(field, fieldPath, Set.of(), out);
    }
    var items = field.path("items");
    if (items.has("properties")) {
      fields(items, fieldPath + "[]", Set.of(), out);
    }
    var values = field.path("additionalProperties");
    if (values.has("properties")) {
      fields(values, fieldPath + ".*", Set.of(), out);
    }
  }

  private static void row(String path, JsonNode field, boolean required, StringBuilder out) {
    out.append("| `")
        .append(path)
        .append("` | ")
        .append(type(field))
        .append(" | ")
        .append(required ? "yes" : "")
        .append(" | ")
        .append(field.has("default") ? "`" + compact(field.get("default")) + "`" : "")
        .append(" | ")
        .append(cell(String.join("; ", validation(field))))
        .append(" | ")
        .append(cell(field.path("description").asText("")))
        .append(" |\n");
  }

  private static String type(JsonNode field) {
    String type = field.path("type").asText("object");
    if ("array".equals(type)) {
      return "[]" + type(field.path("items"));
    }
    if ("object".equals(type) && field.has("additionalProperties")) {
      return "map[string]" + type(field.path("additionalProperties"));
    }
    if (field.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int or string";
    }
    return type;
  }

  private static List<String> validation(JsonNode field) {
    var checks = new ArrayList<String>();
    if (field.has("enum")) {
      var values = new ArrayList<String>();
      field.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      checks.add("one of " + String.join(", ", values));
    }
    limit(field, "minimum", "≥", checks);
    limit(field, "maximum", "≤", checks);
    limit(field, "minLength", "length ≥", checks);
    limit(field, "maxLength", "length ≤", checks);
    limit(field, "minItems", "items ≥", checks);
    limit(field, "maxItems", "items ≤", checks);
    if (field.has("pattern")) {
      checks.add("matches `" + field.get("pattern").asText() + "`");
    }
    var items = field.path("items");
    if (items.has("pattern")) {
      checks.add("each matches `" + items.get("pattern").asText() + "`");
    }
    limit(items, "maxLength", "each length ≤", checks);
    field
        .path("x-kubernetes-validations")
        .forEach(rule -> checks.add(rule.path("message").asText(rule.path("rule").asText())));
    return checks;
  }

  private static void limit(JsonNode field, String key, String label, List<String> checks) {
    if (field.has(key)) {
      var value = field.get(key);
      checks.add(
          label
              + " "
              + (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
                  ? String.valueOf(value.asLong())
                  : value.asText()));
    }
  }

  private static String compact(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  /** One table cell: no line breaks, no column separators. */
  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip();
  }
}
