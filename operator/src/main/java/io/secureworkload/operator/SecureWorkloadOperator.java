package io.secureworkload.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.secureworkload.operator.config.OperatorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Runs the operator in a cluster: settings from the environment, AWS through IRSA. */
public final class SecureWorkloadOperator {

  private static final Logger log = LoggerFactory.getLogger(SecureWorkloadOperator.class);

  private SecureWorkloadOperator() {}

  public static void main(String[] args) {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("{}", e.getMessage());
      System.exit(2);
      return;
    }
    var assembly = OperatorAssembly.onAws(settings, DefaultCredentialsProvider.builder().build());
    var running = assembly.start(new KubernetesClientBuilder().build());
    // SIGTERM: stop reconciling, then hand the Lease to the standby at once (see Leadership).
    Runtime.getRuntime()
        .addShutdownHook(new Thread(running::close, "secure-workload-operator-stop"));
    log.info(
        "secure-workload-operator started for cluster {}{}",
        settings.clusterName(),
        settings.leaderElection().enabled()
            ? "; leader election on, identity " + assembly.leadership().identity()
            : "; leader election off, reconciling");
  }
}
