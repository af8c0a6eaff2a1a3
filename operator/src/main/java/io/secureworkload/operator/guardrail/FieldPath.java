package io.secureworkload.operator.guardrail;

import java.util.Optional;

/**
 * A path into the SecureWorkload, such as {@code spec.iam.statements[1].actions[0]}: names and list
 * indexes, kept apart so that narrowing can find the list element a violation is about.
 *
 * <p>Each path holds its parent and its last segment only: the rules make a path for every action
 * and resource they look at, and only the few that break a rule are ever read.
 */
public final class FieldPath {

  /** Null for the first segment. */
  private final FieldPath parent;

  /** A name or an index. */
  private final Object segment;

  private final int length;

  private FieldPath(FieldPath parent, Object segment) {
    this.parent = parent;
    this.segment = segment;
    this.length = parent == null ? 1 : parent.length + 1;
  }

  public static FieldPath of(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("a field path has one name at least");
    }
    var path = new FieldPath(null, names[0]);
    for (int i = 1; i < names.length; i++) {
      path = path.child(names[i]);
    }
    return path;
  }

  public FieldPath child(String name) {
    return new FieldPath(this, name);
  }

  public FieldPath index(int index) {
    return new FieldPath(this, index);
  }

  /** The index right after these names, when the path starts with them. */
  public Optional<Integer> indexAfter(String... names) {
    if (length <= names.length) {
      return Optional.empty();
    }
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(segment(i))) {
        return Optional.empty();
      }
    }
    return segment(names.length) instanceof Integer index ? Optional.of(index) : Optional.empty();
  }

  /** The name or index at this position, or null past the end. */
  Object segment(int position) {
    if (position < 0 || position >= length) {
      return null;
    }
    var path = this;
    for (int steps = length - 1 - position; steps > 0; steps--) {
      path = path.parent;
    }
    return path.segment;
  }

  @Override
  public String toString() {
    var segments = new Object[length];
    var path = this;
    for (int i = length - 1; i >= 0; i--) {
      segments[i] = path.segment;
      path = path.parent;
    }
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
    if (!(other instanceof FieldPath path) || path.length != length) {
      return false;
    }
    var mine = this;
    while (mine != null) {
      if (mine == path) {
        return true;
      }
      if (!mine.segment.equals(path.segment)) {
        return false;
      }
      mine = mine.parent;
      path = path.parent;
    }
    return true;
  }

  @Override
  public int hashCode() {
    return parent == null ? segment.hashCode() : 31 * parent.hashCode() + segment.hashCode();
  }
}
