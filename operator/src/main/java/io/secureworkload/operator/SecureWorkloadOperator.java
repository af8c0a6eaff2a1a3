package io.secureworkload.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.secureworkload.operator.aws.AwsAccount;
import io.secureworkload.operator.aws.AwsClients;
import io.secureworkload.operator.aws.AwsIamRoles;
import io.secureworkload.operator.aws.RateLimiter;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.metrics.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Runs the operator in a cluster: settings from the environment, AWS through IRSA. */
public final class SecureWorkloadOperator {

  private static final Logger log = LoggerFactory.getLogger(SecureWorkloadOperator.class);

  private SecureWorkloadOperator() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("{}", e.getMessage());
      System.exit(2);
      return;
    }
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var credentials = DefaultCredentialsProvider.builder().build();
    var iam = AwsClients.iam(settings, credentials, registry);
    var sts = AwsClients.sts(settings, credentials, registry);
    var assembly =
        new OperatorAssembly(
            settings,
            new AwsIamRoles(iam, new RateLimiter(settings.iamRequestsPerSecond())),
            new AwsAccount(sts),
            registry);
    var client = new KubernetesClientBuilder().build();
    var operator = assembly.newOperator(o -> o.withKubernetesClient(client));
    operator.installShutdownHook(OperatorAssembly.GRACEFUL_STOP);
    operator.start();
    // Served once the informers are synced: until then the pod is not ready, and says so by
    // refusing the connection rather than by guessing.
    if (settings.metricsPort() > 0) {
      var server =
          new MetricsServer(
              settings.metricsPort(),
              registry,
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    log.info("secure-workload-operator started for cluster {}", settings.clusterName());
  }
}
