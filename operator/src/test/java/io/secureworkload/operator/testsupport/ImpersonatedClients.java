package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Clients of the test API server that act as someone else: the API server authorizes their requests
 * with RBAC as it would the real subject's, so a test proves what that subject may do. Built from
 * the cluster-admin kubeconfig, whose user (system:masters) may impersonate anyone.
 */
public final class ImpersonatedClients {

  private ImpersonatedClients() {}

  /**
   * A client acting as a ServiceAccount, with the groups the API server gives every ServiceAccount
   * token; the caller closes it.
   */
  public static KubernetesClient asServiceAccount(String namespace, String name) {
    return as(
        serviceAccountUser(namespace, name),
        "system:serviceaccounts",
        "system:serviceaccounts:" + namespace,
        "system:authenticated");
  }

  /** The user name of a ServiceAccount, as RBAC subjects and audit logs spell it. */
  public static String serviceAccountUser(String namespace, String name) {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** A client acting as any user and groups; the caller closes it. */
  public static KubernetesClient as(String user, String... groups) {
    Config config = Config.fromKubeconfig(KubeApiServer.get().kubeConfigYaml());
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
