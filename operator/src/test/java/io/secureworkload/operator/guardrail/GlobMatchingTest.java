package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Glob#matches(String)} against a regular expression written from the pattern, on random
 * patterns and texts over a small alphabet, wildcard characters in the text included: there they
 * are plain characters.
 */
class GlobMatchingTest {

  private static final String PATTERN_CHARACTERS = "ab/**?";
  private static final String TEXT_CHARACTERS = "ab/*?";

  @Test
  void matchingAgreesWithARegularExpression() {
    var random = new Random(18);
    for (int i = 0; i < 50_000; i++) {
      var pattern = random(random, PATTERN_CHARACTERS, 7);
      var text = random(random, TEXT_CHARACTERS, 9);
      assertThat(new Glob(pattern).matches(text))
          .as("%s matches %s", pattern, text)
          .isEqualTo(regex(pattern).matcher(text).matches());
    }
  }

  private static Pattern regex(String glob) {
    var regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static String random(Random random, String characters, int maxLength) {
    var text = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      text.append(characters.charAt(random.nextInt(characters.length())));
    }
    return text.toString();
  }
}
