package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster without the CSI driver or the VPC resource controller: those parts say what to install,
 * the others still reconcile, and a CRD installed later is picked up without a restart.
 */
class MissingCrdIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  private static final OperatorTestEnvironment ENV = new OperatorTestEnvironment(MOTO.server());
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private WorkloadAssertions workloads;

  @BeforeEach
  void startWithoutThirdPartyCrds() {
    workloads = new WorkloadAssertions(operator);
    try (var client = KubeApiServer.get().newClient()) {
      ThirdPartyCrds.uninstall(client);
    }
  }

  @AfterEach
  void leaveThirdPartyCrdsInstalled() {
    try (var client = KubeApiServer.get().newClient()) {
      ThirdPartyCrds.install(client);
    }
  }

  @Test
  void missingCrdsAreReportedAndPickedUpOnceInstalled() {
    operator.create(
        workload(
            "early",
            """
            selector: {matchLabels: {app: early}}
            secrets:
              objects: [{name: prod/early/token, type: secretsmanager}]
            securityGroups: {groupIds: [sg-0123456789abcdef0]}
            network: {}
            """));

    var waiting = workloads.awaitCondition("early", "SecretsReady", "False", "CRDNotInstalled");
    assertThat(WorkloadAssertions.condition(waiting, "SecretsReady").getMessage())
        .contains(SecretProviderClass.CRD_NAME)
        .contains("Secrets Store CSI driver");
    workloads.awaitCondition("early", "SecurityGroupsReady", "False", "CRDNotInstalled");
    var partial = workloads.awaitCondition("early", "NetworkPoliciesReady", "True", "InSync");
    assertThat(WorkloadAssertions.condition(partial, "Ready").getStatus()).isEqualTo("False");
    assertThat(WorkloadAssertions.condition(partial, "Ready").getReason())
        .isEqualTo("CRDNotInstalled");
    assertThat(WorkloadAssertions.condition(partial, "IAMRoleReady").getStatus()).isEqualTo("True");
    assertThat(WorkloadAssertions.condition(partial, "ServiceAccountReady").getStatus())
        .isEqualTo("True");
    assertThat(operator.get(NetworkPolicy.class, "early-default-deny")).isNotNull();
    assertThat(workloads.events("early")).contains("CRDNotInstalled");
    // What was made so far waits for the Ready Event.
    assertThat(workloads.normalEvents("early")).isEmpty();

    try (var client = KubeApiServer.get().newClient()) {
      ThirdPartyCrds.install(client, SecretProviderClass.CRD_NAME);
    }
    workloads.awaitCondition("early", "SecretsReady", "True", "InSync");
    assertThat(operator.get(SecretProviderClass.class, "early")).isNotNull();
    assertThat(
            WorkloadAssertions.condition(
                    operator.get(SecureWorkload.class, "early"), "SecurityGroupsReady")
                .getReason())
        .isEqualTo("CRDNotInstalled");

    try (var client = KubeApiServer.get().newClient()) {
      ThirdPartyCrds.install(client, SecurityGroupPolicy.CRD_NAME);
    }
    var ready = workloads.awaitReady("early");
    await().atMost(TIMEOUT).until(() -> operator.get(SecurityGroupPolicy.class, "early") != null);
    // Three reconciliations made the workload, one Event tells it: once it was Ready.
    assertThat(workloads.normalEvents("early"))
        .singleElement()
        .asString()
        .startsWith(
            "Ready: Ready: IAM role "
                + ready.getStatus().getRoleArn()
                + ", ServiceAccount early, SecretProviderClass early, SecurityGroupPolicy early,"
                + " NetworkPolicies early-default-deny");
  }
}
