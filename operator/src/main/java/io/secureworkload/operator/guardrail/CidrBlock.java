package io.secureworkload.operator.guardrail;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** An IPv4 or IPv6 CIDR block. Blocks of different families never meet. */
public record CidrBlock(BigInteger network, int prefix, int bits) {

  public static Optional<CidrBlock> parse(String text) {
    var slash = text.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    var address = text.substring(0, slash);
    // Only literals: InetAddress would resolve a host name through DNS.
    if (address.isEmpty() || !address.chars().allMatch(c -> isAddressChar((char) c))) {
      return Optional.empty();
    }
    try {
      var bytes = InetAddress.getByName(address).getAddress();
      int bits = bytes.length * 8;
      int prefix = Integer.parseInt(text.substring(slash + 1));
      if (prefix < 0 || prefix > bits || (bits == 32) != !address.contains(":")) {
        return Optional.empty();
      }
      var value = new BigInteger(1, bytes);
      return Optional.of(new CidrBlock(value.and(mask(prefix, bits)), prefix, bits));
    } catch (UnknownHostException | NumberFormatException e) {
      return Optional.empty();
    }
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

  /** The block in the usual notation. */
  @Override
  public String toString() {
    var bytes = network.toByteArray();
    var address = new byte[bits / 8];
    int copy = Math.min(bytes.length, address.length);
    System.arraycopy(bytes, bytes.length - copy, address, address.length - copy, copy);
    try {
      return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger mask(int prefix, int bits) {
    var all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    var host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    return all.xor(host);
  }

  private static boolean isAddressChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'f')
        || (c >= 'A' && c <= 'F')
        || c == ':'
        || c == '.';
  }
}
