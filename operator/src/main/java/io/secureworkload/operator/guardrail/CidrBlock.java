package io.secureworkload.operator.guardrail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 or IPv6 CIDR block in canonical form: host bits cleared, and an IPv4-mapped IPv6 block
 * ({@code ::ffff:169.254.169.254/128}) turned into the IPv4 block it stands for, as Go's net
 * package, and so most CNIs, read it. Blocks of different families never meet.
 *
 * <p>The parser accepts only notations that every reader takes for the same addresses: four decimal
 * octets without leading zeros (inet_aton reads {@code 0251} as octal, Java as decimal, and both
 * read {@code 169.254.43518}), RFC 4291 IPv6 text without a zone, ASCII digits only. Anything else
 * is no CIDR block at all.
 */
public record CidrBlock(BigInteger network, int prefix, int bits) {

  private static final int IPV4_BITS = 32;
  private static final int IPV6_BITS = 128;
  private static final int IPV6_GROUPS = 8;

  /** The upper 96 bits of every IPv4-mapped IPv6 address: {@code ::ffff:0:0/96}. */
  private static final BigInteger MAPPED = BigInteger.valueOf(0xffff);

  private static final int MAPPED_PREFIX = IPV6_BITS - IPV4_BITS;

  public static Optional<CidrBlock> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var slash = text.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    var address = text.substring(0, slash);
    boolean ipv6 = address.indexOf(':') >= 0;
    int bits = ipv6 ? IPV6_BITS : IPV4_BITS;
    var value = ipv6 ? ipv6(address) : ipv4(address).map(BigInteger::valueOf);
    int prefix = decimal(text.substring(slash + 1), bits);
    if (value.isEmpty() || prefix < 0) {
      return Optional.empty();
    }
    return Optional.of(canonical(value.get(), prefix, bits));
  }

  public boolean contains(CidrBlock other) {
    return bits == other.bits
        && prefix <= other.prefix
        && other.network.and(mask(prefix, bits)).equals(network);
  }

  public boolean overlaps(CidrBlock other) {
    return contains(other) || other.contains(this);
  }

  /** Two CIDR blocks meet only when one holds the other; their meeting is the smaller one. */
  public Optional<CidrBlock> intersection(CidrBlock other) {
    if (contains(other)) {
      return Optional.of(other);
    }
    return other.contains(this) ? Optional.of(this) : Optional.empty();
  }

  /**
   * Whether every address of this block lies in one of the blocks. Exact: a block that none holds
   * is covered only if both its halves are, and halving stops once no block lies inside.
   */
  public boolean coveredBy(List<CidrBlock> blocks) {
    if (blocks.stream().anyMatch(block -> block.contains(this))) {
      return true;
    }
    if (prefix == bits || blocks.stream().noneMatch(this::contains)) {
      return false;
    }
    var half = BigInteger.ONE.shiftLeft(bits - prefix - 1);
    return new CidrBlock(network, prefix + 1, bits).coveredBy(blocks)
        && new CidrBlock(network.add(half), prefix + 1, bits).coveredBy(blocks);
  }

  public boolean isIpv6() {
    return bits == IPV6_BITS;
  }

  /** The block in its canonical notation: dotted decimal, or RFC 5952 for IPv6. */
  @Override
  public String toString() {
    return (isIpv6() ? ipv6Text(network) : ipv4Text(network.longValue())) + "/" + prefix;
  }

  private static CidrBlock canonical(BigInteger address, int prefix, int bits) {
    var network = address.and(mask(prefix, bits));
    if (bits == IPV6_BITS
        && prefix >= MAPPED_PREFIX
        && network.shiftRight(IPV4_BITS).equals(MAPPED)) {
      var ipv4 = network.and(BigInteger.ONE.shiftLeft(IPV4_BITS).subtract(BigInteger.ONE));
      return new CidrBlock(ipv4, prefix - MAPPED_PREFIX, IPV4_BITS);
    }
    return new CidrBlock(network, prefix, bits);
  }

  private static BigInteger mask(int prefix, int bits) {
    var all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    var host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    return all.xor(host);
  }

  /** ASCII digits without a leading zero, at most {@code max}; -1 for anything else. */
  private static int decimal(String text, int max) {
    if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  /** Exactly four decimal octets. */
  private static Optional<Long> ipv4(String text) {
    var octets = text.split("[.]", -1);
    if (octets.length != 4) {
      return Optional.empty();
    }
    long value = 0;
    for (var octet : octets) {
      int parsed = decimal(octet, 255);
      if (parsed < 0) {
        return Optional.empty();
      }
      value = (value << 8) | parsed;
    }
    return Optional.of(value);
  }

  /**
   * RFC 4291 text: eight groups of one to four hex digits, one {@code ::} standing for at least one
   * zero group, the last two groups possibly written as an IPv4 address.
   */
  private static Optional<BigInteger> ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    var head = gap < 0 ? groups(text, true) : groups(text.substring(0, gap), false);
    var tail = gap < 0 ? Optional.of(List.<Integer>of()) : groups(text.substring(gap + 2), true);
    if (head.isEmpty() || tail.isEmpty()) {
      return Optional.empty();
    }
    int written = head.get().size() + tail.get().size();
    if (gap < 0 ? written != IPV6_GROUPS : written >= IPV6_GROUPS) {
      return Optional.empty();
    }
    var all = new ArrayList<>(head.get());
    while (all.size() + tail.get().size() < IPV6_GROUPS) {
      all.add(0);
    }
    all.addAll(tail.get());
    var value = BigInteger.ZERO;
    for (int group : all) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(group));
    }
    return Optional.of(value);
  }

  /** The 16-bit groups of one side of {@code ::}; an IPv4 address may end the address only. */
  private static Optional<List<Integer>> groups(String text, boolean endsAddress) {
    var groups = new ArrayList<Integer>();
    if (text.isEmpty()) {
      return Optional.of(groups);
    }
    var parts = text.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (endsAddress && i == parts.length - 1 && part.indexOf('.') >= 0) {
        var ipv4 = ipv4(part);
        if (ipv4.isEmpty()) {
          return Optional.empty();
        }
        groups.add((int) (ipv4.get() >> 16));
        groups.add((int) (ipv4.get() & 0xffff));
      } else if (isHexGroup(part)) {
        groups.add(Integer.parseInt(part, 16));
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(groups);
  }

  private static boolean isHexGroup(String part) {
    return !part.isEmpty()
        && part.length() <= 4
        && part.chars()
            .allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  }

  private static String ipv4Text(long value) {
    return (value >> 24 & 0xff)
        + "."
        + (value >> 16 & 0xff)
        + "."
        + (value >> 8 & 0xff)
        + "."
        + (value & 0xff);
  }

  /**
   * RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as ::.
   */
  private static String ipv6Text(BigInteger value) {
    var groups = new int[IPV6_GROUPS];
    for (int i = 0; i < IPV6_GROUPS; i++) {
      groups[i] = value.shiftRight(16 * (IPV6_GROUPS - 1 - i)).intValue() & 0xffff;
    }
    int runStart = -1;
    int runLength = 1;
    for (int i = 0; i < IPV6_GROUPS; i++) {
      int length = 0;
      while (i + length < IPV6_GROUPS && groups[i + length] == 0) {
        length++;
      }
      if (length > runLength) {
        runStart = i;
        runLength = length;
      }
    }
    var text = new StringBuilder();
    for (int i = 0; i < IPV6_GROUPS; i++) {
      if (i == runStart) {
        text.append("::");
        i += runLength - 1;
        continue;
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
