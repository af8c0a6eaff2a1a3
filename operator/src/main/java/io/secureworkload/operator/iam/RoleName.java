package io.secureworkload.operator.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives a workload's IAM role name from cluster, namespace and name, so that the role can always
 * be found again without reading any status.
 */
public final class RoleName {

  /** IAM's limit on role names. */
  public static final int MAX_LENGTH = 64;

  private static final int HASH_LENGTH = 8;

  private RoleName() {}

  /**
   * {@code <prefix><cluster>-<namespace>-<name>}; when longer than IAM allows, cut and ended with a
   * hash of the whole name, so that two long names that share a beginning stay distinct.
   */
  public static String derive(String prefix, String cluster, String namespace, String name) {
    var full = prefix + cluster + "-" + namespace + "-" + name;
    if (full.length() <= MAX_LENGTH) {
      return full;
    }
    var keep = MAX_LENGTH - HASH_LENGTH - 1;
    var head = full.substring(0, keep);
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + sha256Hex(full).substring(0, HASH_LENGTH);
  }

  private static String sha256Hex(String value) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
