package io.secureworkload.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `kubectl explain` is the reference: every field of both CRDs the operator ships says what it is.
 */
class CrdDescriptionsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "secureworkloads.secureworkload.io-v1.yml",
        "secureworkloadpolicies.secureworkload.io-v1.yml"
      })
  void everyFieldHasADescription(String file) throws IOException {
    JsonNode crd;
    try (var in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
      crd = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    var schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    var undescribed = new ArrayList<String>();
    for (var top : List.of("spec", "status")) {
      schema
          .path("properties")
          .path(top)
          .path("properties")
          .fields()
          .forEachRemaining(f -> collect(f.getValue(), top + "." + f.getKey(), undescribed));
    }

    assertThat(undescribed).as("fields without a description in " + file).isEmpty();
  }

  private static void collect(JsonNode node, String path, List<String> undescribed) {
    if (node.isMissingNode()) {
      return;
    }
    if (node.path("description").asText("").isBlank()) {
      undescribed.add(path);
    }
    if (path.endsWith("namespaceSelector")) {
      return;
    }
    node.path("properties")
        .fields()
        .forEachRemaining(f -> collect(f.getValue(), path + "." + f.getKey(), undescribed));
    var items = node.path("items");
    if (items.has("properties")) {
      items
          .path("properties")
          .fields()
          .forEachRemaining(f -> collect(f.getValue(), path + "[]." + f.getKey(), undescribed));
    }
  }
}
