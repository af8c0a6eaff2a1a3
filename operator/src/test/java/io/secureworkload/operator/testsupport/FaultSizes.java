package io.secureworkload.operator.testsupport;

import java.time.Duration;

/**
 * The sizes of the fault suite: compressed in {@code make test}, full in {@code make faults}
 * ({@code -Dfaults.full=true}). The assertions are the same at both sizes; only how many workloads,
 * kills and seconds change.
 */
public final class FaultSizes {

  public static final String PROPERTY = "faults.full";

  private FaultSizes() {}

  public static boolean full() {
    return Boolean.getBoolean(PROPERTY);
  }

  public static int of(int compressed, int full) {
    return full() ? full : compressed;
  }

  public static Duration of(Duration compressed, Duration full) {
    return full() ? full : compressed;
  }

  /** Printed beside every figure, so that a figure always says which size measured it. */
  public static String label() {
    return full() ? "full" : "compressed";
  }
}
