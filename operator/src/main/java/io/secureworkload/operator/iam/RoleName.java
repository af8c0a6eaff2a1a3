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

  private static final int HASH_LENGTH = 12;
  private static final int LEGACY_HASH_LENGTH = 8;
  private static final String SEPARATOR = ".";
  private static final String CUT_MARK = "@";

  private RoleName() {}

  /**
   * {@code <prefix><cluster>.<namespace>.<name>}. Neither a cluster name nor a namespace can hold a
   * dot, so the first two dots after the prefix are the separators and no two workloads share a
   * name. When longer than IAM allows, the name is cut and ended with {@code @} and a hash of the
   * whole name: no uncut name holds an {@code @} (the prefix may not either), so a cut name cannot
   * be squatted by a workload whose name merely looks like it.
   */
  public static String derive(String prefix, String cluster, String namespace, String name) {
    var full = prefix + cluster + SEPARATOR + namespace + SEPARATOR + name;
    if (full.length() <= MAX_LENGTH) {
      return full;
    }
    var head = full.substring(0, MAX_LENGTH - HASH_LENGTH - 1);
    return head + CUT_MARK + sha256Hex(full).substring(0, HASH_LENGTH);
  }

  /**
   * The name roles had before names were made injective: {@code
   * <prefix><cluster>-<namespace>-<name>}, cut with an eight-hex hash. Only looked up to adopt a
   * role made under it (see {@link WorkloadRole#legacyName}); never used for a new role.
   */
  public static String deriveLegacy(String prefix, String cluster, String namespace, String name) {
    var full = prefix + cluster + "-" + namespace + "-" + name;
    if (full.length() <= MAX_LENGTH) {
      return full;
    }
    var head = full.substring(0, MAX_LENGTH - LEGACY_HASH_LENGTH - 1);
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + sha256Hex(full).substring(0, LEGACY_HASH_LENGTH);
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
