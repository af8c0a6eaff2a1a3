package io.secureworkload.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kubernetes writes counted on the API server's side, from its audit log: every create, update,
 * patch and delete that was not the benchmark's own client (it sends its own user agent) nor the
 * API server itself, by verb and resource. A mark is a line count; a phase is the lines between
 * two.
 */
final class ApiWrites {

  static final String BENCH_USER_AGENT = "secureworkload-bench";

  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path auditLog;

  ApiWrites(Path auditLog) {
    this.auditLog = auditLog;
  }

  long mark() {
    try (var lines = Files.lines(auditLog)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator's writes between two marks, as "verb resource" to count. */
  Map<String, Long> since(long from) {
    var writes = new TreeMap<String, Long>();
    try (var lines = Files.lines(auditLog)) {
      lines
          .skip(from)
          .map(ApiWrites::parse)
          .filter(ApiWrites::byOperator)
          .forEach(
              event -> {
                var object = event.path("objectRef");
                var resource =
                    object.path("resource").asText()
                        + (object.hasNonNull("subresource")
                            ? "/" + object.path("subresource").asText()
                            : "");
                writes.merge(event.path("verb").asText() + " " + resource, 1L, Long::sum);
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writes;
  }

  private static boolean byOperator(JsonNode event) {
    var user = event.path("user").path("username").asText();
    return WRITES.contains(event.path("verb").asText())
        && !event.path("objectRef").isMissingNode()
        && !event.path("userAgent").asText().startsWith(BENCH_USER_AGENT)
        && !user.startsWith("system:")
        && !"coordination.k8s.io".equals(event.path("objectRef").path("apiGroup").asText());
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }
}
