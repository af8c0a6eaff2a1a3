package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.1.2.0/24, true",
    "10.1.2.0/24, 10.0.0.0/8, false",
    "10.0.0.0/8, 10.0.0.0/8, true",
    "0.0.0.0/0, 169.254.169.254/32, true",
    "169.254.0.0/16, 169.254.169.254/32, true",
    "10.0.0.0/8, 11.0.0.0/8, false",
    "::/0, fd00:ec2::254/128, true",
    "fd00::/8, fd00:ec2::254/128, true",
    "0.0.0.0/0, fd00:ec2::254/128, false",
    "::/0, 10.0.0.0/8, false",
    // Host bits set: the block is what Kubernetes means, the network.
    "10.0.0.1/8, 10.200.0.0/16, true",
  })
  void containment(String outer, String inner, boolean expected) {
    assertThat(block(outer).contains(block(inner))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} covered by {1}: {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "10.0.0.0/24; 10.0.0.0/16; true",
        "10.0.0.0/24; 10.0.0.0/25 10.0.0.128/25; true",
        "10.0.0.0/24; 10.0.0.0/25 10.0.0.128/26; false",
        "10.0.0.0/24; 10.0.0.0/25 10.0.0.128/26 10.0.0.192/26; true",
        "169.254.169.254/32; 169.254.0.0/16; true",
        "169.254.169.254/32; 10.0.0.0/8; false",
        "0.0.0.0/0; 0.0.0.0/1 128.0.0.0/1; true",
        "fd00:ec2::254/128; fd00::/8; true",
        "::/0; ::/1 8000::/1; true",
        "::/0; ::/1; false",
      })
  void coverageByUnion(String region, String blocks, boolean expected) {
    List<CidrBlock> parsed = Arrays.stream(blocks.split(" ")).map(CidrBlockTest::block).toList();
    assertThat(block(region).coveredBy(parsed)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.0", "10.0.0.0/33", "fd00::/129", "example.com/32", "10.0.0.0/x", "/8"})
  void invalidBlocksAreNotParsed(String text) {
    assertThat(CidrBlock.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1/8, 10.0.0.0/8", "169.254.169.254/32, 169.254.169.254/32"})
  void printsTheNetwork(String text, String printed) {
    assertThat(block(text)).hasToString(printed);
  }

  private static CidrBlock block(String text) {
    return CidrBlock.parse(text).orElseThrow();
  }
}
