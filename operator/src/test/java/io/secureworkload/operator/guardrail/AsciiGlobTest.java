package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The catalogue's fast matcher agrees with the guardrails' automaton on random cases. */
class AsciiGlobTest {

  private static final char[] TEXT = {'a', 'b', 'c'};
  private static final char[] PATTERN = {'a', 'b', 'c', '*', '?'};

  @Test
  void agreesWithTheAutomaton() {
    var random = new Random(16);
    for (int i = 0; i < 20_000; i++) {
      String pattern = random(random, PATTERN, 6);
      String text = random(random, TEXT, 8);
      // Matched inside a larger array, as the catalogue does.
      var padded = ("zz" + text + "zz").getBytes(StandardCharsets.US_ASCII);
      boolean fast =
          AsciiGlob.matches(
              pattern.getBytes(StandardCharsets.US_ASCII), padded, 2, 2 + text.length());
      assertThat(fast).as("%s vs %s", pattern, text).isEqualTo(new Glob(pattern).matches(text));
    }
  }

  @Test
  void onlyStarsMatchEverything() {
    assertThat(AsciiGlob.matchesEverything("*".getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(AsciiGlob.matchesEverything("***".getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(AsciiGlob.matchesEverything("*?".getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(AsciiGlob.matchesEverything(new byte[0])).isFalse();
  }

  private static String random(Random random, char[] alphabet, int maxLength) {
    var text = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      text.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }
}
