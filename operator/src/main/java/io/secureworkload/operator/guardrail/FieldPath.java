package io.secureworkload.operator.guardrail;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A path into the SecureWorkload, such as {@code spec.iam.statements[1].actions[0]}: names and list
 * indexes, kept apart so that narrowing can find the list element a violation is about.
 */
public final class FieldPath {

  private final List<Object> segments;

  private FieldPath(List<Object> segments) {
    this.segments = List.copyOf(segments);
  }

  public static FieldPath of(String... names) {
    return new FieldPath(List.of((Object[]) names));
  }

  public FieldPath child(String name) {
    return append(name);
  }

  public FieldPath index(int index) {
    return append(index);
  }

  /** The index right after these names, when the path starts with them. */
  public Optional<Integer> indexAfter(String... names) {
    if (segments.size() <= names.length) {
      return Optional.empty();
    }
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(segments.get(i))) {
        return Optional.empty();
      }
    }
    return segments.get(names.length) instanceof Integer index
        ? Optional.of(index)
        : Optional.empty();
  }

  /** The name or index at this position, or null past the end. */
  Object segment(int position) {
    return position < segments.size() ? segments.get(position) : null;
  }

  private FieldPath append(Object segment) {
    var longer = new Object[segments.size() + 1];
    for (int i = 0; i < segments.size(); i++) {
      longer[i] = segments.get(i);
    }
    longer[segments.size()] = segment;
    return new FieldPath(Arrays.asList(longer), true);
  }

  /** A list this class made and nobody else holds. */
  private FieldPath(List<Object> segments, boolean owned) {
    this.segments = Collections.unmodifiableList(segments);
  }

  @Override
  public String toString() {
    var text = new StringBuilder();
    for (var segment : segments) {
      if (segment instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(segment);
      }
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath path && path.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }
}
