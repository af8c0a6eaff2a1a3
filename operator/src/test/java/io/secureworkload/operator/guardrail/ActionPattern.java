package io.secureworkload.operator.guardrail;

import java.util.Locale;

/**
 * An IAM action or action pattern, such as {@code s3:GetObject}, {@code s3:Get*} or {@code *}.
 *
 * <p>Matched as IAM matches actions: case-insensitively, {@code *} for any run and {@code ?} for
 * one character. Only strings that can be actions count: a service prefix of {@code [a-z0-9-]}, one
 * colon, an action name of letters and digits. So {@code *} lies within {@code *:*}, and {@code
 * *:List*} admits {@code s3:ListBucket} but no {@code s3:GetObject}.
 *
 * <p>The operator decides on the catalogue's expansion; this exact matcher over every string that
 * can be an action is what tests check the catalogue and {@link Glob} against.
 */
public final class ActionPattern {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-:".toCharArray();

  private static final int START = 0;
  private static final int SERVICE = 1;
  private static final int COLON = 2;
  private static final int NAME = 3;

  /** service ":" name, over lower-case characters. */
  private static final Glob.Universe ACTIONS =
      new Glob.Universe() {
        @Override
        public int start() {
          return START;
        }

        @Override
        public int next(int state, char c) {
          boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
          return switch (state) {
            case START -> letterOrDigit || c == '-' ? SERVICE : -1;
            case SERVICE -> letterOrDigit || c == '-' ? SERVICE : c == ':' ? COLON : -1;
            case COLON, NAME -> letterOrDigit ? NAME : -1;
            default -> -1;
          };
        }

        @Override
        public boolean accepts(int state) {
          return state == NAME;
        }
      };

  private final String text;
  private final Glob glob;

  private ActionPattern(String text) {
    this.text = text;
    this.glob = new Glob(text.toLowerCase(Locale.ROOT));
  }

  public static ActionPattern of(String text) {
    return new ActionPattern(text);
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** True for a single action named in full. */
  public boolean isLiteral() {
    return glob.isLiteral();
  }

  public boolean matches(String action) {
    return glob.matches(action.toLowerCase(Locale.ROOT));
  }

  /** Whether some action is matched by both patterns: how a deny-list is checked. */
  public boolean overlaps(ActionPattern other) {
    return Glob.overlaps(glob, other.glob, ACTIONS, ALPHABET);
  }

  /** Whether every action {@code inner} matches is matched by this one: how an allow-list is. */
  public boolean contains(ActionPattern inner) {
    return Glob.contains(glob, inner.glob, ACTIONS, ALPHABET);
  }

  @Override
  public String toString() {
    return text;
  }
}
