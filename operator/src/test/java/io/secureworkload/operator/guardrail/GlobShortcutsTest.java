package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of {@link Glob#overlaps(Glob, Glob)} and {@link Glob#contains(Glob, Glob)} (a
 * literal side, a side of stars only, heads and tails of star-only patterns, literal heads) answer
 * exactly as the automata do, on random patterns over a small alphabet where every case occurs.
 */
class GlobShortcutsTest {

  private static final String CHARACTERS = "ab/**?";

  @Test
  void theShortcutsAgreeWithTheAutomata() {
    var random = new Random(17);
    for (int i = 0; i < 30_000; i++) {
      var a = new Glob(pattern(random));
      var b = new Glob(pattern(random));
      var alphabet = Glob.alphabetOf(a, b);
      assertThat(Glob.overlaps(a, b))
          .as("%s overlaps %s", a, b)
          .isEqualTo(Glob.overlaps(a, b, withoutShortcuts(), alphabet));
      assertThat(Glob.contains(a, b))
          .as("%s contains %s", a, b)
          .isEqualTo(Glob.contains(a, b, withoutShortcuts(), alphabet));
    }
  }

  /** The same universe as ANY_STRING, but not it: the 4-argument methods take no shortcut then. */
  private static Glob.Universe withoutShortcuts() {
    return new Glob.Universe() {
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
  }

  private static String pattern(Random random) {
    var text = new StringBuilder();
    int length = random.nextInt(7);
    for (int i = 0; i < length; i++) {
      text.append(CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
    }
    return text.toString();
  }
}
