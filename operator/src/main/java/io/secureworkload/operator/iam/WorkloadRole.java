package io.secureworkload.operator.iam;

import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The IAM role a SecureWorkload should have, and whether an existing role is ours. */
public final class WorkloadRole {

  public static final String TAG_MANAGED_BY = "secureworkload.io/managed-by";
  public static final String TAG_CLUSTER = "secureworkload.io/cluster";
  public static final String TAG_NAMESPACE = "secureworkload.io/namespace";
  public static final String TAG_NAME = "secureworkload.io/name";

  private final OperatorSettings settings;
  private final Supplier<String> accountId;

  public WorkloadRole(OperatorSettings settings, Supplier<String> accountId) {
    this.settings = settings;
    this.accountId = accountId;
  }

  public String name(SecureWorkload workload) {
    return RoleName.derive(
        settings.rolePrefix(),
        settings.clusterName(),
        workload.getMetadata().getNamespace(),
        workload.getMetadata().getName());
  }

  /** The ARN the role has, known before it exists: the ServiceAccount needs nothing else. */
  public String arn(SecureWorkload workload) {
    return Arns.role(settings.partition(), accountId.get(), settings.rolePath(), name(workload));
  }

  public DesiredRole desired(SecureWorkload workload) {
    var namespace = workload.getMetadata().getNamespace();
    var iam = Optional.ofNullable(workload.getSpec().getIam()).orElseGet(IamSpec::new);
    var oidcProviderArn =
        Arns.oidcProvider(settings.partition(), accountId.get(), settings.oidcProviderHostPath());
    return new DesiredRole(
        name(workload),
        settings.rolePath(),
        "SecureWorkload "
            + namespace
            + "/"
            + workload.getMetadata().getName()
            + " in cluster "
            + settings.clusterName(),
        PolicyDocuments.trustPolicy(
            oidcProviderArn,
            settings.oidcProviderHostPath(),
            namespace,
            serviceAccountName(workload)),
        PolicyDocuments.inlinePolicy(
            iam.getStatements(),
            SecretAccess.statements(
                workload.getSpec().getSecrets(),
                settings.partition(),
                settings.awsRegion(),
                accountId.get())),
        Set.copyOf(Optional.ofNullable(iam.getManagedPolicyArns()).orElse(List.of())),
        Optional.ofNullable(iam.getMaxSessionDurationSeconds())
            .orElse(IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS),
        settings.permissionsBoundaryArn().orElse(null),
        ownershipTags(workload));
  }

  /**
   * Ownership is proven by our tags for this very cluster, namespace and name, never by the name.
   */
  public boolean owns(SecureWorkload workload, ActualRole role) {
    return owns(workload, role.tags());
  }

  /** The same proof from the role's tags alone. */
  public boolean owns(SecureWorkload workload, Map<String, String> roleTags) {
    return ownershipTags(workload).entrySet().stream()
        .allMatch(tag -> tag.getValue().equals(roleTags.get(tag.getKey())));
  }

  public boolean retainOnDelete(SecureWorkload workload) {
    var iam = workload.getSpec().getIam();
    return iam != null && iam.getDeletionPolicy() == IamSpec.DeletionPolicy.Retain;
  }

  public static String serviceAccountName(SecureWorkload workload) {
    var serviceAccount = workload.getSpec().getServiceAccount();
    if (serviceAccount != null && serviceAccount.getName() != null) {
      return serviceAccount.getName();
    }
    return workload.getMetadata().getName();
  }

  private Map<String, String> ownershipTags(SecureWorkload workload) {
    return Map.of(
        TAG_MANAGED_BY, SecureWorkload.MANAGED_BY,
        TAG_CLUSTER, settings.clusterName(),
        TAG_NAMESPACE, workload.getMetadata().getNamespace(),
        TAG_NAME, workload.getMetadata().getName());
  }
}
