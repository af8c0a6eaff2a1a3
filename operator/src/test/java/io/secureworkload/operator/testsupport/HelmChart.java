package io.secureworkload.operator.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Helm chart, rendered and linted offline by Helm itself (helm-java carries Helm's native
 * build), as {@code helm template} and {@code helm lint} would on a user's machine.
 */
public final class HelmChart {

  /** Release name and namespace of every rendering. */
  public static final String RELEASE = "sw";

  public static final String NAMESPACE = "secure-workload-system";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private HelmChart() {}

  /** The chart's folder in the repository. */
  public static Path dir() {
    return TestPaths.repoRoot().resolve("helm/secure-workload-operator");
  }

  /** The chart-testing value files, {@code ci/*.yaml}: each a complete install. */
  public static List<Path> ciValueFiles() {
    try (Stream<Path> files = Files.list(dir().resolve("ci"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A ci value file by its name, e.g. {@code default-values.yaml}. */
  public static Path ciValues(String name) {
    return dir().resolve("ci").resolve(name);
  }

  /** {@code helm template} with a values file and {@code --set}s; throws with Helm's message. */
  public static String template(Path valuesFile, Map<String, Object> sets) {
    TemplateCommand command =
        new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE).skipCrds();
    if (valuesFile != null) {
      command = command.withValuesFile(valuesFile);
    }
    for (var set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call();
  }

  /** The objects {@code helm template} renders with a values file. */
  public static List<HasMetadata> render(Path valuesFile) {
    return parse(template(valuesFile, Map.of()));
  }

  /** The objects {@code helm template} renders with a values file and {@code --set}s. */
  public static List<HasMetadata> render(Path valuesFile, Map<String, Object> sets) {
    return parse(template(valuesFile, sets));
  }

  /**
   * {@code helm lint --strict} as the chart would be linted with {@code -f valuesFile}: helm-java's
   * lint takes no values file, so a copy of the chart gets the merged values as its defaults.
   */
  public static LintResult lintStrict(Path valuesFile, Path scratch) {
    try {
      Path copy = scratch.resolve("secure-workload-operator");
      copyTree(dir(), copy);
      @SuppressWarnings("unchecked")
      Map<String, Object> defaults =
          YAML.readValue(dir().resolve("values.yaml").toFile(), Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> overrides = YAML.readValue(valuesFile.toFile(), Map.class);
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merge(defaults, overrides));
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits rendered YAML into objects; kinds fabric8 does not know become generic resources. */
  public static List<HasMetadata> parse(String manifests) {
    var objects = new ArrayList<HasMetadata>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      boolean empty =
          document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"));
      if (!empty) {
        objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  /** The rendered objects of one type. */
  public static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The single rendered object of one type. */
  public static <T extends HasMetadata> T single(List<HasMetadata> objects, Class<T> type) {
    var found = ofType(objects, type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " in the chart, found " + found.size());
    }
    return found.get(0);
  }

  /** Helm's merge of values: maps merge key by key, anything else is replaced. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
    var merged = new LinkedHashMap<>(base);
    if (overrides == null) {
      return merged;
    }
    overrides.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
            merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
