package io.secureworkload.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.AccountTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads the external id of another account's role from its Secret in the operator's namespace. */
final class ExternalIds {

  private ExternalIds() {}

  static Optional<String> read(
      KubernetesClient client, OperatorSettings settings, AccountTarget target) {
    if (target.externalIdSecret() == null) {
      return Optional.empty();
    }
    var namespace =
        settings
            .operatorNamespace()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the external id Secret "
                            + target.externalIdSecret()
                            + " cannot be read: "
                            + OperatorSettings.OPERATOR_NAMESPACE
                            + " is not set"));
    var secret = client.secrets().inNamespace(namespace).withName(target.externalIdSecret()).get();
    if (secret == null) {
      throw new IllegalStateException(
          "the external id Secret "
              + namespace
              + "/"
              + target.externalIdSecret()
              + " does not exist");
    }
    var encoded = secret.getData() == null ? null : secret.getData().get(target.externalIdKey());
    if (encoded == null || encoded.isBlank()) {
      throw new IllegalStateException(
          "the external id Secret "
              + namespace
              + "/"
              + target.externalIdSecret()
              + " has no key "
              + target.externalIdKey());
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim());
  }
}
