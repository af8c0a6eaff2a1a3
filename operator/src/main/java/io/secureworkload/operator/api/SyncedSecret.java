package io.secureworkload.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import lombok.Data;

/** A Kubernetes Secret the CSI driver fills from mounted objects. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SyncedSecret {

  @Required
  @Size(min = 1, max = 253)
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret.")
  private String secretName;

  static final String UNPREFIXED_KEYS = "self.all(k, k.matches('" + Patterns.UNPREFIXED_KEY + "'))";

  static final String NO_PREFIX =
      "keys may have no prefix: other controllers act on prefixed keys (kubernetes.io/...,"
          + " argocd.argoproj.io/..., a replicator's replicate-to)";

  @Default("Opaque")
  @Size(max = 128)
  @Pattern(Patterns.SYNCED_SECRET_TYPE)
  @JsonPropertyDescription(
      "Type of the Secret: Opaque, kubernetes.io/basic-auth, kubernetes.io/ssh-auth,"
          + " kubernetes.io/tls, kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg. No other"
          + " type, since other controllers act on them (a service-account-token Secret is filled"
          + " with a token).")
  private String type;

  @Size(max = 16)
  @ValidationRule(value = UNPREFIXED_KEYS, message = NO_PREFIX)
  @ValidationRule(
      value = "!('" + Patterns.HELM_RELEASE_OWNER_LABEL + "' in self)",
      message = "the label owner is Helm's: it finds its release records by owner=helm")
  @JsonPropertyDescription(
      "Labels of the Secret. Keys without a prefix only, and not owner (by which Helm finds its"
          + " release records).")
  private Map<@Size(max = 63) String, @Pattern(Patterns.LABEL_VALUE) @Size(max = 63) String> labels;

  @Size(max = 16)
  @ValidationRule(value = UNPREFIXED_KEYS, message = NO_PREFIX)
  @JsonPropertyDescription("Annotations of the Secret. Keys without a prefix only.")
  private Map<@Size(max = 63) String, @Size(max = 4096) String> annotations;

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Keys of the Secret and the mounted object each is filled from.")
  private List<SyncedSecretKey> data;
}
