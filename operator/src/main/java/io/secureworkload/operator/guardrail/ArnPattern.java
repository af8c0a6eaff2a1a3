package io.secureworkload.operator.guardrail;

import java.util.Optional;

/**
 * An ARN or ARN pattern, {@code arn:partition:service:region:account:resource}, or {@code *}.
 *
 * <p>Matched segment by segment, case-sensitively: {@code *} and {@code ?} stay within their
 * segment, except in the resource, which is the whole rest and may itself hold {@code :} and {@code
 * /}. Containment is exact per segment, so {@code arn:aws:s3:::team-*} is not within {@code
 * arn:aws:s3:::team-a-*}.
 */
public final class ArnPattern {

  private static final int SEGMENTS = 6;
  private static final int SERVICE = 2;
  private static final int ACCOUNT = 4;
  private static final int RESOURCE = 5;

  private final String text;

  /** Null for {@code *}, which stands for every resource. */
  private final Glob[] segments;

  private ArnPattern(String text, Glob[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses an ARN pattern; empty when it is neither {@code *} nor six colon-separated segments that
   * start with {@code arn} and end with a resource.
   */
  public static Optional<ArnPattern> parse(String text) {
    if ("*".equals(text)) {
      return Optional.of(new ArnPattern(text, null));
    }
    if (!text.startsWith("arn:")) {
      return Optional.empty();
    }
    var segments = new Glob[SEGMENTS];
    int from = 0;
    for (int i = 0; i < SEGMENTS - 1; i++) {
      int colon = text.indexOf(':', from);
      if (colon < 0) {
        return Optional.empty();
      }
      segments[i] = sharedSegment(text, from, colon);
      from = colon + 1;
    }
    if (from == text.length()) {
      return Optional.empty();
    }
    segments[RESOURCE] = new Glob(text.substring(from));
    return Optional.of(new ArnPattern(text, segments));
  }

  /**
   * The segments before the resource repeat from one ARN to the next (arn, a partition, a few
   * services, regions and accounts), and every ARN a tenant names is parsed: their globs are
   * shared, found without cutting the segment out of the text. A slot keeps the last glob that
   * hashed to it. Globs never change, so threads may share them without locking.
   */
  private static final Glob[] SHARED_SEGMENTS = new Glob[1024];

  private static Glob sharedSegment(String text, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + text.charAt(i);
    }
    int slot = (hash ^ (hash >>> 16)) & (SHARED_SEGMENTS.length - 1);
    var shared = SHARED_SEGMENTS[slot];
    if (shared != null
        && shared.pattern().length() == to - from
        && text.startsWith(shared.pattern(), from)) {
      return shared;
    }
    var segment = new Glob(text.substring(from, to));
    SHARED_SEGMENTS[slot] = segment;
    return segment;
  }

  private static final java.util.Map<String, Optional<ArnPattern>> PARSED =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                java.util.Map.Entry<String, Optional<ArnPattern>> eldest) {
              return size() > 8192;
            }
          });

  /** {@link #parse(String)}, remembered: policies' patterns are parsed for every resource. */
  public static Optional<ArnPattern> parseCached(String text) {
    return PARSED.computeIfAbsent(text, ArnPattern::parse);
  }

  /** A policy's pattern with its placeholders filled in for one workload. */
  public static Optional<ArnPattern> parse(String text, Placeholders placeholders) {
    return parse(placeholders.substitute(text));
  }

  /**
   * IAM policy variables ({@code ${aws:username}}) resolve per request, so nothing can vet them.
   */
  public static boolean hasPolicyVariable(String text) {
    return text.contains("${");
  }

  public String text() {
    return text;
  }

  public boolean isEverything() {
    return segments == null;
  }

  /** The account segment as written; empty for {@code *}. */
  public String account() {
    return segments == null ? "" : segments[ACCOUNT].pattern();
  }

  /** The service segment as written; empty for {@code *}. */
  public String service() {
    return segments == null ? "" : segments[SERVICE].pattern();
  }

  /** Whether the service segment could be {@code service}. */
  public boolean mayBeService(String service) {
    return segments == null || segments[SERVICE].matches(service);
  }

  /** The resource part as written (everything after the fifth colon); empty for {@code *}. */
  public String resource() {
    return segments == null ? "" : segments[RESOURCE].pattern();
  }

  /** Whether the account segment is a pattern rather than one account (or none). */
  public boolean hasWildcardAccount() {
    return segments == null || !segments[ACCOUNT].isLiteral();
  }

  public boolean matches(String arn) {
    return parse(arn).map(this::contains).orElse(false);
  }

  /** Whether every resource {@code inner} names is named by this pattern too. */
  public boolean contains(ArnPattern inner) {
    if (segments == null) {
      return true;
    }
    if (inner.segments == null) {
      return false;
    }
    for (int i = 0; i < SEGMENTS; i++) {
      var outer = segments[i];
      var in = inner.segments[i];
      if (!Glob.contains(outer, in)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some resource is named by both patterns. */
  public boolean overlaps(ArnPattern other) {
    if (segments == null || other.segments == null) {
      return true;
    }
    for (int i = 0; i < SEGMENTS; i++) {
      var a = segments[i];
      var b = other.segments[i];
      if (!Glob.overlaps(a, b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
