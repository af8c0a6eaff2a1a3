package io.secureworkload.operator.guardrail;

/**
 * Matches an IAM wildcard pattern ({@code *} any run, {@code ?} one character) against a run of
 * ASCII bytes, without allocating: the action catalogue runs it over thousands of names per
 * pattern.
 */
final class AsciiGlob {

  private AsciiGlob() {}

  /**
   * Whether {@code pattern} matches {@code text[from, to)} exactly. Both must be lower-cased by the
   * caller when the match is to ignore case.
   */
  static boolean matches(byte[] pattern, byte[] text, int from, int to) {
    int p = 0;
    int t = from;
    // Where the last star was and the text position it was tried at: on a mismatch the star takes
    // one more character. Each star only ever moves forward, so this is O(pattern * text).
    int star = -1;
    int starText = from;
    while (t < to) {
      if (p < pattern.length && (pattern[p] == '?' || pattern[p] == text[t])) {
        p++;
        t++;
      } else if (p < pattern.length && pattern[p] == '*') {
        star = p++;
        starText = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == '*') {
      p++;
    }
    return p == pattern.length;
  }

  /** Whether {@code pattern} matches every text: it is stars only. */
  static boolean matchesEverything(byte[] pattern) {
    for (byte b : pattern) {
      if (b != '*') {
        return false;
      }
    }
    return pattern.length > 0;
  }
}
