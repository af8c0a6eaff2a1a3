package io.secureworkload.operator.faults;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The invalid SecureWorkloads of {@code faults/bad-input.yaml}: each document with what its
 * comments say must refuse it. The documents stay untyped: some would not even deserialise into a
 * {@link io.secureworkload.operator.api.SecureWorkload} (an unknown enum value), and the API
 * server, not Jackson, must be the one to refuse them.
 */
final class BadInputCorpus {

  static final String RESOURCE = "/faults/bad-input.yaml";

  /**
   * Who refuses a case: the API server when it is created, the operator afterwards, or AWS when the
   * operator writes the role.
   */
  enum RefusedBy {
    admission,
    stalled,
    aws
  }

  /**
   * @param field the field the refusal must name, as the API server and the guardrails write it;
   *     for a case AWS refuses, the value AWS names
   * @param givenServiceAccounts ServiceAccounts made by hand before the case is applied
   */
  record Case(
      GenericKubernetesResource document,
      RefusedBy refusedBy,
      String field,
      List<String> givenServiceAccounts) {

    String name() {
      return document.getMetadata().getName();
    }

    @Override
    public String toString() {
      return name() + " (" + refusedBy + " " + field + ")";
    }
  }

  private BadInputCorpus() {}

  static List<Case> load() {
    try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Case> parse(String text) {
    var cases = new ArrayList<Case>();
    for (String chunk : text.split("(?m)^---$")) {
      Object yaml = new Load(LoadSettings.builder().build()).loadFromString(chunk);
      if (yaml == null) {
        continue;
      }
      var document = Serialization.jsonMapper().convertValue(yaml, GenericKubernetesResource.class);
      String expect = comment(chunk, "Expect");
      if (expect == null) {
        throw new IllegalArgumentException(
            "No '# Expect:' line for " + document.getMetadata().getName());
      }
      String[] words = expect.split("\\s+");
      var given = new ArrayList<String>();
      String givenLine = comment(chunk, "Given");
      if (givenLine != null) {
        String[] parts = givenLine.split("\\s+");
        if (parts.length != 2 || !"serviceaccount".equals(parts[0])) {
          throw new IllegalArgumentException("Unknown '# Given:' " + givenLine);
        }
        given.add(parts[1]);
      }
      cases.add(new Case(document, RefusedBy.valueOf(words[0]), words[1], List.copyOf(given)));
    }
    return cases;
  }

  /** The text after {@code # key:} on its own comment line of the chunk, or null. */
  private static String comment(String chunk, String key) {
    String prefix = "# " + key + ":";
    return chunk
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).trim())
        .findFirst()
        .orElse(null);
  }
}
