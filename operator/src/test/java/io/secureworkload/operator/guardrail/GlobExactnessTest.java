package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-checks the automaton answers against brute force on a tiny alphabet: for patterns of at
 * most four characters, a witness of overlap or of non-containment, if any, is short, so every
 * action string of up to seven characters settles the question.
 */
class GlobExactnessTest {

  private static final char[] LETTERS = {'a', 'b', ':'};
  private static final char[] PATTERN_CHARS = {'a', 'b', ':', '*', '?'};
  private static final List<String> ACTIONS = actions(7);

  static Stream<Arguments> patternPairs() {
    var random = new Random(7);
    return Stream.generate(() -> Arguments.of(pattern(random), pattern(random))).limit(400);
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("patternPairs")
  void overlapAndContainmentAgreeWithEnumeration(String a, String b) {
    var first = ActionPattern.of(a);
    var second = ActionPattern.of(b);
    boolean someBoth = ACTIONS.stream().anyMatch(s -> first.matches(s) && second.matches(s));
    boolean everySecondInFirst = ACTIONS.stream().filter(second::matches).allMatch(first::matches);

    assertThat(first.overlaps(second)).as("overlaps").isEqualTo(someBoth);
    assertThat(first.contains(second)).as("contains").isEqualTo(everySecondInFirst);
  }

  private static String pattern(Random random) {
    var text = new StringBuilder();
    int length = 1 + random.nextInt(4);
    for (int i = 0; i < length; i++) {
      text.append(PATTERN_CHARS[random.nextInt(PATTERN_CHARS.length)]);
    }
    return text.toString();
  }

  /** Every string of the alphabet up to the length that is an action: service, colon, name. */
  private static List<String> actions(int maxLength) {
    var all = new ArrayList<String>();
    var layer = List.of("");
    for (int length = 1; length <= maxLength; length++) {
      var next = new ArrayList<String>();
      for (var prefix : layer) {
        for (char c : LETTERS) {
          next.add(prefix + c);
        }
      }
      all.addAll(next);
      layer = next;
    }
    return all.stream().filter(s -> s.matches("[ab]+:[ab]+")).toList();
  }
}
