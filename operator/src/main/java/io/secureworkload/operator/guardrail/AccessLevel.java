package io.secureworkload.operator.guardrail;

import java.util.Locale;

/** The access level AWS's Service Authorization Reference gives an action. */
public enum AccessLevel {
  LIST("List", 'L'),
  READ("Read", 'R'),
  WRITE("Write", 'W'),
  PERMISSIONS_MANAGEMENT("Permissions management", 'P'),
  TAGGING("Tagging", 'T');

  private final String awsName;
  private final char code;

  AccessLevel(String awsName, char code) {
    this.awsName = awsName;
    this.code = code;
  }

  /**
   * The level AWS writes as {@code awsName}, ignoring case: {@code "Permissions management"} is
   * {@link #PERMISSIONS_MANAGEMENT}.
   *
   * @throws IllegalArgumentException for a name AWS does not use
   */
  public static AccessLevel of(String awsName) {
    for (var level : values()) {
      if (level.awsName.equalsIgnoreCase(awsName)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "Not an AWS access level: "
            + awsName
            + " (one of List, Read, Write,"
            + " Permissions management, Tagging)");
  }

  /** The level as AWS writes it, such as {@code "Permissions management"}. */
  public String awsName() {
    return awsName;
  }

  /** The one-letter code of the catalogue resource. */
  static AccessLevel ofCode(String code) {
    for (var level : values()) {
      if (code.length() == 1 && level.code == code.charAt(0)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "Not an access level code: " + code.toUpperCase(Locale.ROOT) + " (one of L, R, W, P, T)");
  }
}
