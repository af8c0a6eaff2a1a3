package io.secureworkload.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxy;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What the scenarios of one {@code make bench} share: the sizes, the API server and moto with their
 * clients, the page being written, and the operator process as the last scenario left it.
 */
final class BenchRun implements AutoCloseable {

  /** One target of the benchmark issue: what it asks, what was measured, and whether it held. */
  record Target(String what, String measured, boolean met) {}

  /** The managed policy every bench workload attaches. */
  static final String MANAGED_POLICY_NAME = "bench-reader";

  static final String MANAGED_POLICY_DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}";

  final int n;
  final int scaleN;
  final int unrelated;
  final KubernetesClient client = Bench.client();
  final MotoServer moto = MotoServer.start();

  /**
   * What the operator process calls instead of moto: moto reports a fixed role quota of 1,000 per
   * account, below the bench's 5,000 roles (a real account may hold 5,000), so this proxy refuses
   * the operator's GetAccountSummary and the operator counts against {@link #ROLE_QUOTA} instead,
   * the path it takes where the summary may not be read. Everything else goes to moto unchanged.
   */
  final FaultProxy aws = FaultProxy.forwardingTo(moto::endpoint).start();

  static final int ROLE_QUOTA = 10_000;
  final IamClient iam;
  final ApiWrites apiWrites = new ApiWrites(KubeApiServer.get().auditLog());
  final BenchReport report = new BenchReport();
  final Path log = TestPaths.buildDir().resolve("bench-operator.log");
  final int metricsPort = MotoServer.freeLoopbackPort();
  final String managedPolicyArn;
  final ReadyTracker tracker;
  final List<Target> targets = new ArrayList<>();
  final List<BenchReport.Bar> callsPerWorkload = new ArrayList<>();

  /** The operator as the last scenario left it running, if any. */
  BenchOperator operator;

  /**
   * What the scenarios hand on: the curves for the charts, the heap the unrelated objects add to.
   */
  BenchReport.Series created;

  BenchReport.Series scaled;
  double heapAtN = Double.NaN;

  BenchRun(int n, int scaleN, int unrelated) {
    aws.add(
        FaultRule.inject(Fault.accessDenied())
            .forService("iam")
            .forOperations("GetAccountSummary"));
    this.n = n;
    this.scaleN = scaleN;
    this.unrelated = unrelated;
    this.iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(MotoServer.credentials())
            .endpointOverride(moto.endpoint())
            .build();
    this.managedPolicyArn =
        iam.createPolicy(
                r -> r.policyName(MANAGED_POLICY_NAME).policyDocument(MANAGED_POLICY_DOCUMENT))
            .policy()
            .arn();
    Bench.prepareCluster(client);
    this.tracker = new ReadyTracker(client);
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    tracker.close();
    aws.close();
    moto.stop();
    client.close();
  }
}
