package io.secureworkload.operator.iam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import java.util.ArrayList;
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

  /**
   * The namespace's uid: a namespace deleted and made again by someone else does not inherit a role
   * that outlived the first one.
   */
  public static final String TAG_NAMESPACE_UID = "secureworkload.io/namespace-uid";

  /** The cluster's OIDC issuer: two clusters given the same name in one account stay apart. */
  public static final String TAG_ISSUER = "secureworkload.io/oidc-issuer";

  /**
   * Put on a role that {@code deletionPolicy: Retain} kept when its SecureWorkload went away, with
   * its trust cut ({@link TrustCut}): the orphan sweep never deletes such a role. It is not an
   * ownership tag.
   */
  public static final String TAG_RETAINED = "secureworkload.io/retained";

  /** How many tags the operator puts on a role. */
  public static final int OWNERSHIP_TAG_COUNT = 6;

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

  /** The name a role made before names were injective had; looked up only to adopt such a role. */
  public String legacyName(SecureWorkload workload) {
    return RoleName.deriveLegacy(
        settings.rolePrefix(),
        settings.clusterName(),
        workload.getMetadata().getNamespace(),
        workload.getMetadata().getName());
  }

  /**
   * The role's name: the derived one, or the legacy one once the operator adopted a role made under
   * it (the status then says so). The status is only a hint: ownership is still proven by the
   * role's tags, so a status naming any other role changes nothing.
   */
  public String nameInUse(SecureWorkload workload) {
    var status = workload.getStatus();
    var legacy = legacyName(workload);
    if (status != null && legacy.equals(status.getRoleName())) {
      return legacy;
    }
    return name(workload);
  }

  /** The ARN the role has, known before it exists: the ServiceAccount needs nothing else. */
  public String arn(SecureWorkload workload) {
    return arn(workload, accountId.get());
  }

  /** The ARN the role has in the account the workload's policies keep its role in. */
  public String arn(SecureWorkload workload, String accountId) {
    return Arns.role(settings.partition(), accountId, settings.rolePath(), nameInUse(workload));
  }

  /**
   * @param namespaceUid the uid of the workload's namespace, for the ownership tags
   * @param permissionsBoundaryArn the boundary the guardrails give, or null for none
   * @param inlinePolicy the inline policy the guardrails wrote for the admitted spec, or null
   */
  public DesiredRole desired(
      SecureWorkload workload,
      String namespaceUid,
      String permissionsBoundaryArn,
      String inlinePolicy) {
    return desired(
        workload,
        accountId.get(),
        namespaceUid,
        permissionsBoundaryArn,
        inlinePolicy,
        Set.of(IdentityMode.IRSA));
  }

  /**
   * The role in this account, trusted by the identity modes given (both while a switch between them
   * is under way).
   */
  public DesiredRole desired(
      SecureWorkload workload,
      String accountId,
      String namespaceUid,
      String permissionsBoundaryArn,
      String inlinePolicy,
      Set<IdentityMode> trusted) {
    var namespace = workload.getMetadata().getNamespace();
    var iam = Optional.ofNullable(workload.getSpec().getIam()).orElseGet(IamSpec::new);
    return new DesiredRole(
        nameInUse(workload),
        settings.rolePath(),
        "SecureWorkload "
            + namespace
            + "/"
            + workload.getMetadata().getName()
            + " in cluster "
            + settings.clusterName(),
        trustPolicy(workload, accountId, trusted),
        inlinePolicy,
        Set.copyOf(Optional.ofNullable(iam.getManagedPolicyArns()).orElse(List.of())),
        Optional.ofNullable(iam.getMaxSessionDurationSeconds())
            .orElse(IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS),
        permissionsBoundaryArn,
        ownershipTags(workload, namespaceUid));
  }

  /**
   * Ownership is proven by our tags for this very cluster (name and OIDC issuer), namespace (name
   * and uid) and name, never by the name. A role made before the uid and issuer tags existed lacks
   * them; it is adopted, and the tags are completed. A role whose trust is cut ({@link TrustCut})
   * outlived its workload, and perhaps its namespace: it is adopted only with every tag present and
   * equal, so that a namespace made again under the same name, a new uid, never inherits it.
   */
  public boolean owns(SecureWorkload workload, String namespaceUid, ActualRole role) {
    return owns(workload, namespaceUid, role.tags());
  }

  /** The same proof from the role's tags alone. */
  public boolean owns(SecureWorkload workload, String namespaceUid, Map<String, String> roleTags) {
    boolean cut = TrustCut.marked(roleTags);
    return ownershipTags(workload, namespaceUid).entrySet().stream()
        .allMatch(
            tag -> {
              var actual = roleTags.get(tag.getKey());
              boolean completable =
                  !cut
                      && (TAG_NAMESPACE_UID.equals(tag.getKey())
                          || TAG_ISSUER.equals(tag.getKey()));
              return tag.getValue().equals(actual) || (completable && actual == null);
            });
  }

  /**
   * Exactly the workload's ServiceAccount, with the STS audience, through this cluster's OIDC
   * provider.
   */
  public String trustPolicy(SecureWorkload workload) {
    return trustPolicy(workload, accountId.get());
  }

  /** The trust in this account: its provider of the cluster's issuer. */
  public String trustPolicy(SecureWorkload workload, String accountId) {
    return trustPolicy(workload, accountId, Set.of(IdentityMode.IRSA));
  }

  /**
   * The trust of these modes, in the order IRSA, Pod Identity: the OIDC provider of this account
   * for the ServiceAccount, and EKS Pod Identity bound to this cluster, namespace and
   * ServiceAccount.
   */
  public String trustPolicy(SecureWorkload workload, String accountId, Set<IdentityMode> trusted) {
    var namespace = workload.getMetadata().getNamespace();
    var serviceAccount = serviceAccountName(workload);
    var statements = new ArrayList<ObjectNode>();
    if (trusted.contains(IdentityMode.IRSA)) {
      statements.add(
          PolicyDocuments.webIdentityStatement(
              Arns.oidcProvider(settings.partition(), accountId, settings.oidcProviderHostPath()),
              settings.oidcProviderHostPath(),
              namespace,
              serviceAccount));
    }
    if (trusted.contains(IdentityMode.PodIdentity)) {
      statements.add(PolicyDocuments.podIdentityStatement(clusterArn(), namespace, serviceAccount));
    }
    return PolicyDocuments.trust(statements);
  }

  /** The EKS cluster's ARN, which EKS Pod Identity puts in the session's eks-cluster-arn tag. */
  public String clusterArn() {
    return Arns.eksCluster(
        settings.partition(), settings.awsRegion(), accountId.get(), settings.eksClusterName());
  }

  /** The trust of a role no ServiceAccount may assume any more ({@link TrustCut}). */
  public String cutTrustPolicy() {
    return cutTrustPolicy(accountId.get());
  }

  public String cutTrustPolicy(String accountId) {
    return PolicyDocuments.cutTrustPolicy(
        Arns.oidcProvider(settings.partition(), accountId, settings.oidcProviderHostPath()),
        settings.oidcProviderHostPath());
  }

  /** Deletes (or retains, cutting the trust) this cluster's roles in that account. */
  public RoleDeletion deletion(IamAccount account) {
    return new RoleDeletion(
        account.roles(),
        account.states(),
        new TrustCut(account.roles(), () -> cutTrustPolicy(account.id())));
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

  /** The same tags prove that an EKS Pod Identity association is the workload's own. */
  public Map<String, String> ownershipTags(SecureWorkload workload, String namespaceUid) {
    return Map.of(
        TAG_MANAGED_BY, SecureWorkload.MANAGED_BY,
        TAG_CLUSTER, settings.clusterName(),
        TAG_ISSUER, settings.oidcProviderHostPath(),
        TAG_NAMESPACE, workload.getMetadata().getNamespace(),
        TAG_NAMESPACE_UID, namespaceUid,
        TAG_NAME, workload.getMetadata().getName());
  }
}
