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
    // An IPv4-mapped IPv6 block is the IPv4 block it stands for, as Go's net package (and the CNIs
    // built on it) reads it.
    "0.0.0.0/0, ::ffff:169.254.169.254/128, true",
    "169.254.169.254/32, ::ffff:a9fe:a9fe/128, true",
    "::ffff:0:0/96, 169.254.169.254/32, true",
    "::/0, ::ffff:169.254.169.254/128, false",
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

  /**
   * Notations that one parser reads as another address than the next (a leading zero is octal to
   * inet_aton, decimal to Java), that are short forms or not ASCII, are not CIDR blocks at all:
   * what the operator vets must be what every CNI reads.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "fd00::/129",
        "example.com/32",
        "10.0.0.0/x",
        "/8",
        "",
        "0251.0376.0251.0376/32",
        "010.0.0.1/32",
        "169.254.43518/32",
        "2852039166/32",
        "169.254.169.254/032",
        "169.254.169.254/+32",
        "169.254.169.254/-0",
        "169.254.169.254/٣٢",
        "١٦٩.254.169.254/32",
        "169.254.169.254 /32",
        "169.254.169.254/32/32",
        "256.0.0.0/8",
        "0x0a.0.0.0/8",
        "fe80::1%eth0/64",
        "[fd00:ec2::254]/128",
        "fd00:ec2:::254/128",
        "fd00::ec2::254/128",
        "1:2:3:4:5:6:7:8:9/128",
        "1:2:3:4:5:6:7::8/128",
        "1:2:3:4:5:6:7/128",
        ":1:2:3:4:5:6:7/128",
        "fd00:ec2::00254/128",
        "::ffff:169.254.169/128",
        "::169.254.169.254:0/128",
        "::ffff:0251.0376.0251.0376/128",
      })
  void ambiguousOrInvalidNotationsAreNotParsed(String text) {
    assertThat(CidrBlock.parse(text)).isEmpty();
  }

  /** Whatever the notation, the block is written in one canonical form (RFC 5952 for IPv6). */
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "10.0.0.1/8, 10.0.0.0/8",
    "169.254.169.254/32, 169.254.169.254/32",
    "169.254.169.254/0, 0.0.0.0/0",
    "::ffff:169.254.169.254/128, 169.254.169.254/32",
    "::ffff:a9fe:a9fe/128, 169.254.169.254/32",
    "::FFFF:A9FE:A9FE/128, 169.254.169.254/32",
    "0:0:0:0:0:ffff:a9fe:a9fe/128, 169.254.169.254/32",
    "::ffff:169.254.0.0/112, 169.254.0.0/16",
    "::ffff:0:0/96, 0.0.0.0/0",
    // Below /96 the block reaches beyond the mapped range: it is an IPv6 block.
    "::ffff:169.254.169.254/95, ::fffe:0:0/95",
    // IPv4-compatible addresses are IPv6 addresses; Go's net package reads them so too.
    "::169.254.169.254/128, ::a9fe:a9fe/128",
    "FD00:EC2::254/128, fd00:ec2::254/128",
    "fd00:0ec2:0000:0000:0000:0000:0000:0254/128, fd00:ec2::254/128",
    "fd00:ec2:0:0:0:0:0:254/128, fd00:ec2::254/128",
    "::/0, ::/0",
    "0:0:0:0:0:0:0:0/0, ::/0",
    "1:0:0:2:0:0:0:3/128, 1:0:0:2::3/128",
    "1:0:0:2:0:0:3:4/128, 1::2:0:0:3:4/128",
    "1:2:3:4:5:6:7:0/128, 1:2:3:4:5:6:7:0/128",
    "1:2:3:4:5:6::/112, 1:2:3:4:5:6::/112",
    "2001:db8::1/32, 2001:db8::/32",
  })
  void printsTheCanonicalNetwork(String text, String printed) {
    assertThat(block(text)).hasToString(printed);
    assertThat(block(printed)).isEqualTo(block(text));
  }

  private static CidrBlock block(String text) {
    return CidrBlock.parse(text).orElseThrow();
  }
}
