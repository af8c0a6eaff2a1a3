package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkload;

/** SecureWorkloads written as their spec alone, so a test shows only the YAML it is about. */
public final class TestWorkloads {

  private static final String API_SELECTOR = "selector: {matchLabels: {app: api}}\n";

  private TestWorkloads() {}

  /** The unit tests' workload: {@code payments/api}, selecting the pods labelled app=api. */
  public static SecureWorkload minimal() {
    return withSpec("");
  }

  /** The minimal workload with this YAML added to its spec (written as if at the spec's level). */
  public static SecureWorkload withSpec(String specYaml) {
    return paymentsApi(API_SELECTOR + specYaml);
  }

  /** {@code payments/api} with exactly this spec, for a test that selects other pods. */
  public static SecureWorkload paymentsApi(String specYaml) {
    return parse(header("api") + "  namespace: payments\n" + spec(specYaml));
  }

  /** A workload without a namespace, which the client that creates it fills in. */
  public static SecureWorkload workload(String name, String specYaml) {
    return parse(header(name) + spec(specYaml));
  }

  private static String header(String name) {
    return "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkload\nmetadata:\n  name: "
        + name
        + "\n";
  }

  private static String spec(String specYaml) {
    return "spec:\n" + specYaml.indent(2);
  }

  private static SecureWorkload parse(String yaml) {
    return Serialization.unmarshal(yaml, SecureWorkload.class);
  }
}
