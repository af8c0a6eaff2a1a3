package io.secureworkload.operator.guardrail;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.List;

/** Policies and evaluations written as YAML, so that a test shows only what it is about. */
final class Guardrails {

  static final String ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";

  // Resources of the namespace payments, as the default's NamespaceScopedResources admit them:
  // the namespace, then a separator no namespace name holds ('.' for buckets, '_' elsewhere).
  static final String BUCKET = "arn:aws:s3:::payments.data";
  static final String OBJECTS = BUCKET + "/*";
  static final String QUEUE = "arn:aws:sqs:eu-west-1:111122223333:payments_jobs";
  static final String TABLE = "arn:aws:dynamodb:eu-west-1:111122223333:table/payments_orders";

  private Guardrails() {}

  /** The unit tests' workload {@code payments/api} in a namespace of its own account. */
  static GuardrailContext context() {
    return GuardrailContext.builder()
        .accountId(ACCOUNT)
        .partition("aws")
        .region("eu-west-1")
        .namespace("payments")
        .positionInNamespace(1)
        .tagCount(4)
        .build();
  }

  /** A policy selecting the namespace {@code payments} with this YAML added to its spec. */
  static SecureWorkloadPolicy policy(String name, String specYaml) {
    var yaml =
        "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkloadPolicy\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + ("namespaces: [payments]\n" + specYaml).indent(2);
    return Serialization.unmarshal(yaml, SecureWorkloadPolicy.class);
  }

  static EffectivePolicy effective(SecureWorkloadPolicy... policies) {
    return EffectivePolicy.combine(List.of(policies), DefaultGuardrails.policy());
  }

  /** Evaluates {@code payments/api} with this spec under these policies (none: the default). */
  static Verdict evaluate(String workloadSpecYaml, SecureWorkloadPolicy... policies) {
    return evaluate(workloadSpecYaml, context(), policies);
  }

  static Verdict evaluate(
      String workloadSpecYaml, GuardrailContext context, SecureWorkloadPolicy... policies) {
    return GuardrailEvaluator.evaluate(
        TestWorkloads.withSpec(workloadSpecYaml), effective(policies), context);
  }

  /** One Allow statement with these actions on this resource. */
  static String allow(String resource, String... actions) {
    return "iam:\n  statements:\n  - actions: ["
        + String.join(", ", quoted(actions))
        + "]\n    resources: ['"
        + resource
        + "']\n";
  }

  private static List<String> quoted(String... values) {
    return List.of(values).stream().map(v -> "'" + v + "'").toList();
  }
}
