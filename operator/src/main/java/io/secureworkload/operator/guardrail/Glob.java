package io.secureworkload.operator.guardrail;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.TreeSet;

/**
 * A wildcard pattern in which {@code *} matches any run of characters and {@code ?} exactly one.
 *
 * <p>Overlap and containment are decided exactly, never by sampling: both walk the product of the
 * patterns' automata (and of a {@link Universe} that says which strings can occur at all) over
 * every character that can make a difference. Characters that neither pattern names behave alike,
 * so one stands in for all of them.
 */
final class Glob {

  /**
   * Containment determinises the outer pattern; a pathological pattern could make that explode, and
   * then the answer is "not contained", which refuses rather than admits.
   */
  static final int MAX_EXPLORED_STATES = 200_000;

  /** Which strings exist at all, as a deterministic automaton; a dead step returns -1. */
  interface Universe {
    int start();

    int next(int state, char c);

    boolean accepts(int state);
  }

  /** Every string. */
  static final Universe ANY_STRING =
      new Universe() {
        @Override
        public int start() {
          return 0;
        }

        @Override
        public int next(int state, char c) {
          return 0;
        }

        @Override
        public boolean accepts(int state) {
          return true;
        }
      };

  private final String pattern;
  private final boolean literal;
  private final boolean everything;
  private final String literalPrefix;
  private final String literalSuffix;

  Glob(String pattern) {
    this.pattern = pattern;
    int star = pattern.indexOf('*');
    int one = pattern.indexOf('?');
    this.literal = star < 0 && one < 0;
    boolean stars = !pattern.isEmpty();
    for (int i = 0; i < pattern.length() && stars; i++) {
      stars = pattern.charAt(i) == '*';
    }
    this.everything = stars;
    if (literal) {
      this.literalPrefix = pattern;
      this.literalSuffix = pattern;
      return;
    }
    this.literalPrefix =
        pattern.substring(0, star < 0 ? one : one < 0 ? star : Math.min(star, one));
    int last = pattern.length() - 1;
    while (pattern.charAt(last) != '*' && pattern.charAt(last) != '?') {
      last--;
    }
    this.literalSuffix = pattern.substring(last + 1);
  }

  String pattern() {
    return pattern;
  }

  /** Only stars: every string. */
  boolean isEverything() {
    return everything;
  }

  /** {@link #overlaps(Glob, Glob, Universe, char[])} over every string. */
  static boolean overlaps(Glob a, Glob b) {
    if (a.isEverything() || b.isEverything()) {
      return true;
    }
    if (a.isLiteral()) {
      return b.matches(a.pattern);
    }
    if (b.isLiteral()) {
      return a.matches(b.pattern);
    }
    if (a.pattern.indexOf('?') < 0 && b.pattern.indexOf('?') < 0) {
      // Both have a star and no '?': the longer head, then every literal between stars of both,
      // then the longer tail, is matched by both, so the heads and tails decide alone.
      var headA = a.literalPrefix();
      var headB = b.literalPrefix();
      var tailA = a.literalSuffix();
      var tailB = b.literalSuffix();
      return (headA.startsWith(headB) || headB.startsWith(headA))
          && (tailA.endsWith(tailB) || tailB.endsWith(tailA));
    }
    return overlaps(a, b, ANY_STRING, alphabetOf(a, b));
  }

  /** {@link #contains(Glob, Glob, Universe, char[])} over every string. */
  static boolean contains(Glob outer, Glob inner) {
    if (outer.isEverything()) {
      return true;
    }
    if (inner.isLiteral()) {
      return outer.matches(inner.pattern);
    }
    if (outer.isLiteral()) {
      return false;
    }
    boolean oneWildcard =
        outer.literalPrefix.length() + outer.literalSuffix.length() == outer.pattern.length() - 1;
    if (oneWildcard && outer.pattern.endsWith("*")) {
      return inner.literalPrefix().startsWith(outer.literalPrefix());
    }
    if (oneWildcard && outer.pattern.startsWith("*")) {
      return inner.literalSuffix().endsWith(outer.literalSuffix());
    }
    return contains(outer, inner, ANY_STRING, alphabetOf(outer, inner));
  }

  /** The characters after the last wildcard. */
  String literalSuffix() {
    return literalSuffix;
  }

  /** The characters before the first wildcard. */
  String literalPrefix() {
    return literalPrefix;
  }

  /** Whether the text has no wildcard. */
  static boolean isLiteralText(String text) {
    return text.indexOf('*') < 0 && text.indexOf('?') < 0;
  }

  boolean isLiteral() {
    return literal;
  }

  boolean matches(String text) {
    if (isLiteral()) {
      return pattern.equals(text);
    }
    if (isEverything()) {
      return true;
    }
    // Every tenant ARN is matched against the resource types' formats and the policies'
    // patterns, so this allocates nothing: on a mismatch only the last star takes one more
    // character. Each star only ever moves forward, so this is O(pattern * text).
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      char next = p < pattern.length() ? pattern.charAt(p) : 0;
      if (next == '*') {
        star = p++;
        starText = t;
      } else if (p < pattern.length() && (next == '?' || next == text.charAt(t))) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** Whether some string of the universe matches both patterns. */
  static boolean overlaps(Glob a, Glob b, Universe universe, char[] alphabet) {
    if (universe == ANY_STRING) {
      if (a.isLiteral()) {
        return b.matches(a.pattern);
      }
      if (b.isLiteral()) {
        return a.matches(b.pattern);
      }
      var prefixA = a.literalPrefix();
      var prefixB = b.literalPrefix();
      if (!prefixA.startsWith(prefixB) && !prefixB.startsWith(prefixA)) {
        return false;
      }
    }
    int width = b.pattern.length() + 1;
    var seen = new HashSet<Long>();
    var queue = new ArrayDeque<long[]>();
    for (int i : a.closure(0).stream().toArray()) {
      for (int j : b.closure(0).stream().toArray()) {
        queue.add(new long[] {i, j, universe.start()});
      }
    }
    while (!queue.isEmpty()) {
      var state = queue.poll();
      int i = (int) state[0];
      int j = (int) state[1];
      int u = (int) state[2];
      if (!seen.add(((long) u * (a.pattern.length() + 1) + i) * width + j)) {
        continue;
      }
      if (i == a.pattern.length() && j == b.pattern.length() && universe.accepts(u)) {
        return true;
      }
      for (char c : alphabet) {
        int next = universe.next(u, c);
        if (next < 0) {
          continue;
        }
        for (int i2 : a.moves(i, c).stream().toArray()) {
          for (int j2 : b.moves(j, c).stream().toArray()) {
            queue.add(new long[] {i2, j2, next});
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether every string of the universe that {@code inner} matches is matched by {@code outer}.
   */
  static boolean contains(Glob outer, Glob inner, Universe universe, char[] alphabet) {
    if (universe == ANY_STRING) {
      // Exact shortcuts: a literal is contained where it matches; a wildcard matches two strings
      // at least, so never lies within a literal; and any string it may start with must start
      // with the outer pattern's literal head.
      if (inner.isLiteral()) {
        return outer.matches(inner.pattern);
      }
      if (outer.isLiteral() || !inner.literalPrefix().startsWith(outer.literalPrefix())) {
        return false;
      }
    }
    record State(int inner, BitSet outer, int universe) {}
    var seen = new HashSet<State>();
    var queue = new ArrayDeque<State>();
    var outerStart = outer.start();
    for (int i : inner.closure(0).stream().toArray()) {
      queue.add(new State(i, outerStart, universe.start()));
    }
    while (!queue.isEmpty()) {
      var state = queue.poll();
      if (!seen.add(state)) {
        continue;
      }
      if (seen.size() > MAX_EXPLORED_STATES) {
        return false;
      }
      if (state.inner == inner.pattern.length()
          && universe.accepts(state.universe)
          && !outer.accepts(state.outer)) {
        return false;
      }
      for (char c : alphabet) {
        int next = universe.next(state.universe, c);
        if (next < 0) {
          continue;
        }
        var outerNext = outer.step(state.outer, c);
        for (int i : inner.moves(state.inner, c).stream().toArray()) {
          queue.add(new State(i, outerNext, next));
        }
      }
    }
    return true;
  }

  /** The literal characters of both patterns plus one character that neither names. */
  static char[] alphabetOf(Glob a, Glob b) {
    var chars = new TreeSet<Character>();
    for (var glob : new Glob[] {a, b}) {
      for (char c : glob.pattern.toCharArray()) {
        if (c != '*' && c != '?') {
          chars.add(c);
        }
      }
    }
    char other = '\u0001';
    while (chars.contains(other)) {
      other++;
    }
    chars.add(other);
    var alphabet = new char[chars.size()];
    int k = 0;
    for (char c : chars) {
      alphabet[k++] = c;
    }
    return alphabet;
  }

  private BitSet start() {
    return closure(0);
  }

  private boolean accepts(BitSet states) {
    return states.get(pattern.length());
  }

  /** Positions reachable from {@code position} without reading: across any run of stars. */
  private BitSet closure(int position) {
    var states = new BitSet();
    int i = position;
    states.set(i);
    while (i < pattern.length() && pattern.charAt(i) == '*') {
      states.set(++i);
    }
    return states;
  }

  /** Positions reachable from one position by reading {@code c}. */
  private BitSet moves(int position, char c) {
    if (position >= pattern.length()) {
      return new BitSet();
    }
    char p = pattern.charAt(position);
    if (p == '*') {
      return closure(position);
    }
    if (p == '?' || p == c) {
      return closure(position + 1);
    }
    return new BitSet();
  }

  private BitSet step(BitSet states, char c) {
    var next = new BitSet();
    states.stream().forEach(position -> next.or(moves(position, c)));
    return next;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
