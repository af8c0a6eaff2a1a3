package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.podidentity.PodIdentityAssociations.Association;
import io.secureworkload.operator.podidentity.PodIdentityAssociations.Listed;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.eks.EksDoubleExtension;
import io.secureworkload.operator.testsupport.eks.EksRecordedRequest;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** The EKS pod identity associations, through the real SDK to the EKS double, roles in moto. */
class AwsPodIdentityAssociationsIT {

  private static final String CLUSTER = "prod";
  private static final String OTHER_ACCOUNT = "210987654321";

  /** The service name the SDK gives EKS's calls: neither {@code EKS} nor {@code eks}. */
  private static final String SERVICE = "Eks";

  private static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"pods.eks.amazonaws.com\"},\"Action\":[\"sts:AssumeRole\","
          + "\"sts:TagSession\"]}]}";

  @RegisterExtension static final MotoExtension moto = MotoExtension.startedEagerly();
  @RegisterExtension static final EksDoubleExtension eks = EksDoubleExtension.with(moto, CLUSTER);

  private MeterRegistry registry;
  private AwsPodIdentityAssociations associations;
  private String roleArn;

  @BeforeEach
  void operatorSide() {
    registry = new SimpleMeterRegistry();
    associations =
        AwsPodIdentityAssociations.onAws(
            settings(), MotoServer.credentials(), registry, () -> MotoServer.ACCOUNT_ID);
    roleArn = role(moto.iamClient(), "sw-prod-app");
  }

  @Test
  void anAssociationIsMadeDescribedListedRepointedAndDeleted() {
    var made = associations.create("team-a", "app", roleArn, Map.of("owner", "sw"));

    assertThat(made.id()).matches("a-[a-z0-9]{17}");
    assertThat(made.arn())
        .isEqualTo("arn:aws:eks:us-west-2:123456789012:podidentityassociation/prod/" + made.id());
    assertThat(made.sessionTagsDisabled()).isFalse();
    assertThat(made.targetRoleArn()).isNull();
    assertThat(made.tags()).containsEntry("owner", "sw");
    assertThat(associations.describe(made.id())).contains(made);
    assertThat(associations.list("team-a", "app"))
        .containsExactly(new Listed(made.id(), "team-a", "app"));
    assertThat(associations.list("team-a", "other")).isEmpty();

    var otherRole = role(moto.iamClient(), "sw-prod-app-2");
    var repointed = associations.update(made.id(), otherRole);
    assertThat(repointed.roleArn()).isEqualTo(otherRole);
    assertThat(eks.eks().association(made.id()).orElseThrow().roleArn()).isEqualTo(otherRole);

    associations.delete(made.id());
    assertThat(eks.eks().associations()).isEmpty();
    assertThat(associations.describe(made.id())).isEmpty();
  }

  @Test
  void sessionTagsAreAskedForOnCreateAndOnUpdate() {
    var made = associations.create("team-a", "app", roleArn, Map.of());
    associations.update(made.id(), roleArn);

    assertThat(body("CreatePodIdentityAssociation"))
        .containsEntry("disableSessionTags", false)
        .doesNotContainKeys("targetRoleArn", "policy");
    assertThat(body("UpdatePodIdentityAssociation"))
        .containsEntry("disableSessionTags", false)
        .containsEntry("roleArn", roleArn)
        .doesNotContainKeys("targetRoleArn", "policy");
    assertThat(eks.eks().associations()).allMatch(a -> !a.disableSessionTags());
  }

  @Test
  void anUpdateTakesAwayATargetRoleSetOutsideTheOperator() {
    var target = role(iamIn(OTHER_ACCOUNT), "chained");
    try (var raw =
        AwsClients.eks(
            settings(), MotoServer.credentials(), AwsCalls.unlimited(new SimpleMeterRegistry()))) {
      raw.createPodIdentityAssociation(
          r ->
              r.clusterName(CLUSTER)
                  .namespace("team-a")
                  .serviceAccount("app")
                  .roleArn(roleArn)
                  .targetRoleArn(target));
    }
    var chained = eks.eks().associations().get(0);
    assertThat(chained.externalId()).isNotBlank();
    assertThat(associations.describe(chained.associationId()).orElseThrow().targetRoleArn())
        .isEqualTo(target);

    var updated = associations.update(chained.associationId(), roleArn);

    assertThat(updated.targetRoleArn()).isNull();
    assertThat(body("UpdatePodIdentityAssociation")).containsEntry("targetRoleArn", "");
    assertThat(eks.eks().associations().get(0).targetRoleArn()).isNull();
  }

  @Test
  void everyPageOfAListingIsRead() {
    IntStream.range(0, 230)
        .forEach(i -> eks.eks().createByHand(CLUSTER, "ns-" + i, "app", roleArn, Map.of()));

    var listed = associations.list();

    assertThat(listed).hasSize(230);
    assertThat(listed).extracting(Listed::namespace).doesNotHaveDuplicates();
    assertThat(eks.eks().requests("ListPodIdentityAssociations")).hasSize(3);
    assertThat(calls("ListPodIdentityAssociations", "success")).isEqualTo(3);
  }

  @Test
  void aSecondAssociationOfOneServiceAccountIsAConflict() {
    associations.create("team-a", "app", roleArn, Map.of());
    var otherRole = role(moto.iamClient(), "sw-prod-app-2");

    assertThatThrownBy(() -> associations.create("team-a", "app", otherRole, Map.of()))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AwsFailureKind.CONFLICT);
              assertThat(e.errorCode()).isEqualTo("ResourceInUseException");
            });
    assertThat(calls("CreatePodIdentityAssociation", "ResourceInUseException")).isEqualTo(1);
  }

  @Test
  void aRoleThatDoesNotExistIsRejected() {
    var missing = "arn:aws:iam::123456789012:role/secureworkload/missing";

    assertThatThrownBy(() -> associations.create("team-a", "app", missing, Map.of()))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AwsFailureKind.REJECTED);
              assertThat(e.errorCode()).isEqualTo("InvalidParameterException");
            });
  }

  @Test
  void theClustersLimitIsARejectionThatNamesItsCode() {
    eks.eks().associationLimit(2);
    associations.create("team-a", "one", roleArn, Map.of());
    associations.create("team-a", "two", roleArn, Map.of());

    assertThatThrownBy(() -> associations.create("team-a", "three", roleArn, Map.of()))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AwsFailureKind.REJECTED);
              assertThat(e.errorCode()).isEqualTo("ResourceLimitExceededException");
            });
    assertThat(eks.eks().associations()).hasSize(2);
  }

  @Test
  void whatIsGoneIsDeletedAlreadyAndDescribedAsNothing() {
    var made = associations.create("team-a", "app", roleArn, Map.of());
    eks.eks().deleteByHand(made.id());

    associations.delete(made.id());

    assertThat(associations.describe(made.id())).isEmpty();
    assertThat(calls("DeletePodIdentityAssociation", "ResourceNotFoundException")).isEqualTo(1);
    assertThat(calls("DescribePodIdentityAssociation", "ResourceNotFoundException")).isEqualTo(1);
  }

  @Test
  void aRetriedCreateCarriesTheSameTokenAndMakesNoSecondAssociation() {
    Association first = associations.create("team-a", "app", roleArn, Map.of());
    Association again = associations.create("team-a", "app", roleArn, Map.of());

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(eks.eks().associations()).hasSize(1);
    var tokens =
        eks.eks().requests("CreatePodIdentityAssociation").stream()
            .map(r -> r.body().get("clientRequestToken"))
            .toList();
    assertThat(tokens).hasSize(2).doesNotContainNull();
    assertThat(tokens.get(0)).isEqualTo(tokens.get(1));
  }

  @Test
  void everyCallIsCountedByServiceOperationAndOutcome() {
    var made = associations.create("team-a", "app", roleArn, Map.of());
    associations.describe(made.id());

    assertThat(calls("CreatePodIdentityAssociation", "success")).isEqualTo(1);
    assertThat(calls("DescribePodIdentityAssociation", "success")).isEqualTo(1);
    assertThat(
            registry
                .get(AwsCalls.METER)
                .tag("service", SERVICE)
                .tag("account", MotoServer.ACCOUNT_ID)
                .counters())
        .isNotEmpty();
  }

  private OperatorSettings settings() {
    return OperatorSettings.builder()
        .clusterName(CLUSTER)
        .awsRegion(MotoServer.REGION)
        .awsEndpoint(Optional.of(moto.endpoint()))
        .eksEndpoint(Optional.of(eks.eks().endpoint()))
        .eksRequestsPerSecond(1000)
        .build();
  }

  private double calls(String operation, String outcome) {
    var counter =
        registry
            .find(AwsCalls.METER)
            .tag("service", SERVICE)
            .tag("operation", operation)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static Map<String, Object> body(String operation) {
    var requests = eks.eks().requests(operation);
    assertThat(requests).as(operation).isNotEmpty();
    EksRecordedRequest last = requests.get(requests.size() - 1);
    return last.body();
  }

  private static String role(IamClient iam, String name) {
    return iam.createRole(
            r -> r.roleName(name).path("/secureworkload/").assumeRolePolicyDocument(TRUST))
        .role()
        .arn();
  }

  /** IAM acting in another account of moto: moto's AssumeRole acts in the account it names. */
  private static IamClient iamIn(String account) {
    var credentials =
        moto.stsClient()
            .assumeRole(
                r -> r.roleArn("arn:aws:iam::" + account + ":role/setup").roleSessionName("test"))
            .credentials();
    return IamClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    credentials.accessKeyId(),
                    credentials.secretAccessKey(),
                    credentials.sessionToken())))
        .build();
  }
}
