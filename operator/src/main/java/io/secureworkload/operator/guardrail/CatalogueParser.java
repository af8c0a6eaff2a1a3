package io.secureworkload.operator.guardrail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the catalogue text that hack/catalogue/generate.py writes (its header describes the
 * format). Equal strings and equal lists are kept once: most actions share their few condition keys
 * and resource types, and the catalogue lives as long as the operator.
 */
final class CatalogueParser {

  private static final String SOURCE = "# source: ";

  private final Map<String, String> strings = new HashMap<>();
  private final Map<List<String>, List<String>> keyLists = new HashMap<>();
  private final Map<List<ResourceType>, List<ResourceType>> typeLists = new HashMap<>();
  private final Map<String, Map<String, ResourceType>> resourceTypes = new LinkedHashMap<>();
  private final List<CatalogueAction> actions = new ArrayList<>();
  private String source;
  private String service;
  private Map<String, ResourceType> serviceTypes;
  private final Map<String, String> serviceActions = new HashMap<>();
  private int lineNumber;

  static ActionCatalogue parse(Reader text) throws IOException {
    return new CatalogueParser().read(text);
  }

  private ActionCatalogue read(Reader text) throws IOException {
    var lines = new BufferedReader(text);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      if (line.startsWith(SOURCE)) {
        source = line.substring(SOURCE.length()).strip();
      } else if (!line.isBlank() && !line.startsWith("#")) {
        record(line.split("\t", -1));
      }
    }
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("The action catalogue has no '" + SOURCE + "' line");
    }
    var types = new HashMap<String, Map<String, ResourceType>>();
    resourceTypes.forEach((prefix, byName) -> types.put(prefix, Map.copyOf(byName)));
    return new ActionCatalogue(source, actions, types);
  }

  private void record(String[] fields) {
    switch (fields[0]) {
      case "S" -> service(field(fields, 1));
      case "R" -> resourceType(fields);
      case "A" -> action(fields);
      default -> throw error("unknown record " + fields[0]);
    }
  }

  private void service(String prefix) {
    if (!consistsOf(prefix, false)) {
      throw error("service prefix " + prefix + " is not lower-case letters, digits and '-'");
    }
    if (resourceTypes.containsKey(prefix)) {
      throw error("service " + prefix + " appears twice");
    }
    service = intern(prefix);
    serviceTypes = new LinkedHashMap<>();
    resourceTypes.put(service, serviceTypes);
    serviceActions.clear();
  }

  private void resourceType(String[] fields) {
    inService();
    String name = field(fields, 1);
    var type = new ResourceType(service, name, field(fields, 2), keys(fields, 3));
    if (serviceTypes.putIfAbsent(name.toLowerCase(Locale.ROOT), type) != null) {
      throw error("resource type " + service + " " + name + " appears twice");
    }
  }

  private void action(String[] fields) {
    inService();
    String name = field(fields, 1);
    if (!consistsOf(name, true)) {
      throw error("action name " + name + " is not letters, digits, '_' and '-'");
    }
    if (serviceActions.putIfAbsent(name.toLowerCase(Locale.ROOT), name) != null) {
      throw error("action " + service + ":" + name + " appears twice");
    }
    AccessLevel level;
    try {
      level = AccessLevel.ofCode(field(fields, 2));
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
    var types = new ArrayList<ResourceType>();
    for (String typeName : list(fields, 3)) {
      // A trailing '*' marks a resource type the action requires; the API does not expose it.
      String bare =
          typeName.endsWith("*") ? typeName.substring(0, typeName.length() - 1) : typeName;
      var type = serviceTypes.get(bare.toLowerCase(Locale.ROOT));
      if (type == null) {
        throw error(service + ":" + name + " takes an undefined resource type " + bare);
      }
      types.add(type);
    }
    var typeList = typeLists.computeIfAbsent(List.copyOf(types), list -> list);
    actions.add(new CatalogueAction(service, name, level, typeList, keys(fields, 4)));
  }

  private List<String> keys(String[] fields, int index) {
    var keys = list(fields, index);
    for (int i = 0; i < keys.size(); i++) {
      keys.set(i, intern(keys.get(i)));
    }
    return keyLists.computeIfAbsent(List.copyOf(keys), list -> list);
  }

  private List<String> list(String[] fields, int index) {
    var list = new ArrayList<String>();
    if (index < fields.length && !fields[index].isEmpty()) {
      for (String item : fields[index].split(",", -1)) {
        if (item.isEmpty()) {
          throw error("empty item in field " + index);
        }
        list.add(item);
      }
    }
    return list;
  }

  private String field(String[] fields, int index) {
    if (index >= fields.length || fields[index].isEmpty()) {
      throw error("field " + index + " is missing");
    }
    return fields[index];
  }

  private void inService() {
    if (service == null) {
      throw error("a resource type or action before the first service");
    }
  }

  /** Letters, digits and '-' (and '_' in action names): what the matcher and IAM expect. */
  private static boolean consistsOf(String text, boolean actionName) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      boolean upper = c >= 'A' && c <= 'Z' || c == '_';
      if (!lower && !(actionName && upper)) {
        return false;
      }
    }
    return true;
  }

  private String intern(String value) {
    return strings.computeIfAbsent(value, v -> v);
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("Action catalogue line " + lineNumber + ": " + message);
  }
}
