package io.secureworkload.operator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;

/** The shared API server's audit log, read as what one user was allowed to do. */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /** Every (verb, resource) the API server refused this user. */
  public static Set<Access> forbidden(String user) {
    return accesses(user, "forbid");
  }

  /**
   * Every (verb, resource) the API server authorized for this user (impersonated or not), as {@link
   * Access#toString()} pairs such as {@code patch secureworkload.io/secureworkloads/status}.
   */
  public static Set<Access> allowed(String user) {
    return accesses(user, "allow");
  }

  private static Set<Access> accesses(String user, String decision) {
    var allowed = new TreeSet<Access>();
    try (var lines = Files.lines(KubeApiServer.get().auditLog())) {
      lines
          .map(AuditLog::parse)
          .filter(e -> user.equals(subject(e)))
          .forEach(
              event -> {
                var object = event.path("objectRef");
                if (object.isMissingNode()
                    || !decision.equals(
                        event.path("annotations").path("authorization.k8s.io/decision").asText())) {
                  return;
                }
                allowed.add(
                    new Access(
                        event.path("verb").asText(),
                        object.path("apiGroup").asText(""),
                        object.path("resource").asText()
                            + (object.hasNonNull("subresource")
                                ? "/" + object.path("subresource").asText()
                                : "")));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return allowed;
  }

  private static String subject(JsonNode event) {
    var impersonated = event.path("impersonatedUser").path("username");
    return impersonated.isMissingNode()
        ? event.path("user").path("username").asText()
        : impersonated.asText();
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      // The API server may be writing the last line right now; no event of ours is cut short,
      // since the caller reads after its client is done.
      return JSON.missingNode();
    }
  }

  /**
   * A verb on a resource ({@code resource/subresource}) of an API group ("" for the core group).
   */
  public record Access(String verb, String group, String resource) implements Comparable<Access> {

    @Override
    public int compareTo(Access other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }
  }
}
