package io.secureworkload.operator.faults;

import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.OperatorProcess;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import java.net.URI;

/** The operator process as the fault suite runs it: its own cluster name, AWS behind the proxy. */
final class FaultOperator {

  static final String CLUSTER = "faults";
  static final String ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/FAULTS";

  private FaultOperator() {}

  /**
   * @param name names the log and the kubeconfig under the build directory
   * @param kubeConfigYaml how the process finds the API server
   * @param awsEndpoint the fault proxy in front of moto
   */
  static OperatorProcess process(String name, String kubeConfigYaml, URI awsEndpoint) {
    return OperatorProcess.builder(name)
        .cluster(CLUSTER, ISSUER)
        .kubeConfig(kubeConfigYaml)
        .aws(awsEndpoint)
        .env(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY)
        .env(OperatorSettings.IAM_REQUESTS_PER_SECOND, "50")
        .build();
  }
}
