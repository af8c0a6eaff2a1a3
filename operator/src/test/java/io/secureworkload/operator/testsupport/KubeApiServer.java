package io.secureworkload.operator.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real kube-apiserver with its etcd, shared by every test in the JVM: started on first use,
 * stopped when the JVM exits. It runs no controllers (no garbage collection, no namespace
 * finalization). It writes an audit log of every resource request's outcome (metadata only, no
 * bodies) to {@link #auditLog()}, which tests read to see what a client was allowed to do.
 */
public final class KubeApiServer {

  private static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kubectl");
  private static KubeApiServer instance;

  // Metadata of every finished resource request; nothing for health checks and discovery.
  private static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: None
        nonResourceURLs: ["/*"]
      - level: Metadata
      """;

  private final KubeAPIServer server;
  private final Path auditLog;

  private KubeApiServer(KubeAPIServer server, Path auditLog) {
    this.server = server;
    this.auditLog = auditLog;
  }

  /** The shared API server, started if this is the first call. */
  public static synchronized KubeApiServer get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  /** The audit log: one JSON audit event per line. */
  public Path auditLog() {
    return auditLog;
  }

  /** A kubeconfig with cluster-admin client certificates for this API server. */
  public String kubeConfigYaml() {
    return server.getKubeConfigYaml();
  }

  /** The kubectl built by {@code make envtest} for this API server's version. */
  public static Path kubectl() {
    var config = config();
    return binaryDir(config).resolve("kubectl");
  }

  /** A new client for this API server; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeConfigYaml()))
        .build();
  }

  private static KubeApiServer start() {
    Path auditDir =
        TestPaths.buildDir().resolve("kube-apiserver-audit-" + ProcessHandle.current().pid());
    Path auditLog = auditDir.resolve("audit.log");
    Path auditPolicy = auditDir.resolve("policy.yaml");
    try {
      Files.createDirectories(auditDir);
      Files.writeString(auditPolicy, AUDIT_POLICY);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    KubeAPIServerConfig config =
        configBuilder()
            .withApiServerFlag("--audit-policy-file", auditPolicy.toString())
            .withApiServerFlag("--audit-log-path", auditLog.toString())
            .withApiServerFlag("--audit-log-format", "json")
            .build();
    requireBinaries(config);
    KubeAPIServer server = new KubeAPIServer(config);
    // Registered first so that etcd does not outlive a start that times out half way.
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-api-server-stop"));
    server.start();
    return new KubeApiServer(server, auditLog);
  }

  private static KubeAPIServerConfig config() {
    return configBuilder().build();
  }

  private static KubeAPIServerConfigBuilder configBuilder() {
    // Offline: the binaries come from `make envtest`; the download site is not reachable here.
    return KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true)
        .withApiServerVersion(version());
  }

  /**
   * The Kubernetes version {@code make envtest} builds: the {@code k8s.io/kubernetes} requirement
   * of hack/envtest/kubernetes/go.mod, the one place it is written.
   */
  static String version() {
    var goMod = TestPaths.repoRoot().resolve("hack/envtest/kubernetes/go.mod");
    try {
      return Files.readAllLines(goMod).stream()
          .map(String::trim)
          .filter(line -> line.startsWith("require k8s.io/kubernetes "))
          .map(line -> line.substring(line.lastIndexOf(' ') + 1).replaceFirst("^v", ""))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("No k8s.io/kubernetes requirement in " + goMod));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path binaryDir(KubeAPIServerConfig config) {
    String version = config.getApiServerVersion().orElseThrow();
    return Path.of(config.getKubeAPITestDir(), BinaryManager.BINARY_LIST_DIR)
        .resolve(version + Utils.platformSuffix(new OSInfo()));
  }

  private static void requireBinaries(KubeAPIServerConfig config) {
    String version = config.getApiServerVersion().orElseThrow();
    Path dir = binaryDir(config);
    for (String binary : BINARIES) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException(
            "No "
                + binary
                + " for Kubernetes "
                + version
                + " in "
                + dir
                + ". Run `make envtest` in the repository root.");
      }
    }
  }
}
