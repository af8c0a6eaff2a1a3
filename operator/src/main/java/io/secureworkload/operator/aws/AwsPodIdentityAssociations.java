package io.secureworkload.operator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.podidentity.PodIdentityAssociations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociation;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary;

/**
 * The pod identity associations of one EKS cluster, through the operator's call path. The only
 * class that knows the EKS SDK.
 *
 * <p>An association always has EKS's session tags ({@code disableSessionTags} is sent as false,
 * never left to EKS's default) and never a target role or a session policy: the role the operator
 * wrote, with its trust bound to those tags, is the whole of what a pod gets.
 */
public final class AwsPodIdentityAssociations implements PodIdentityAssociations {

  private final EksClient eks;
  private final AwsCalls calls;
  private final String clusterName;

  public AwsPodIdentityAssociations(EksClient eks, AwsCalls calls, String clusterName) {
    this.eks = eks;
    this.calls = calls;
    this.clusterName = clusterName;
  }

  /** EKS calls have their own rate limit: EKS's quotas are not IAM's. */
  public static AwsPodIdentityAssociations onAws(
      OperatorSettings settings,
      AwsCredentialsProvider credentials,
      MeterRegistry registry,
      Supplier<String> accountLabel) {
    var calls =
        AwsCalls.limitedTo(new RateLimiter(settings.eksRequestsPerSecond()), registry)
            .inAccount(accountLabel);
    return new AwsPodIdentityAssociations(
        AwsClients.eks(settings, credentials, calls), calls, settings.eksClusterName());
  }

  @Override
  public String clusterName() {
    return clusterName;
  }

  @Override
  public List<Listed> list() {
    return listed(
        calls.listing(
            "ListPodIdentityAssociations",
            () ->
                eks.listPodIdentityAssociationsPaginator(r -> r.clusterName(clusterName))
                    .associations()));
  }

  @Override
  public List<Listed> list(String namespace, String serviceAccount) {
    return listed(
        calls.listing(
            "ListPodIdentityAssociations",
            () ->
                eks.listPodIdentityAssociationsPaginator(
                        r ->
                            r.clusterName(clusterName)
                                .namespace(namespace)
                                .serviceAccount(serviceAccount))
                    .associations()));
  }

  @Override
  public Optional<Association> describe(String associationId) {
    return Optional.ofNullable(
            calls.unlessGone(
                "DescribePodIdentityAssociation",
                () ->
                    eks.describePodIdentityAssociation(
                            r -> r.clusterName(clusterName).associationId(associationId))
                        .association(),
                null))
        .map(AwsPodIdentityAssociations::association);
  }

  @Override
  public Association create(
      String namespace, String serviceAccount, String roleArn, Map<String, String> tags) {
    return association(
        calls.call(
            "CreatePodIdentityAssociation",
            () ->
                eks.createPodIdentityAssociation(
                        r ->
                            r.clusterName(clusterName)
                                .namespace(namespace)
                                .serviceAccount(serviceAccount)
                                .roleArn(roleArn)
                                .tags(tags)
                                .disableSessionTags(false)
                                .clientRequestToken(
                                    requestToken(namespace, serviceAccount, roleArn)))
                    .association()));
  }

  /**
   * EKS's documentation does not say that an empty target role clears one, nor that an empty one is
   * accepted where none is set: it is sent only to an association that has a target role, which the
   * describe before the update tells.
   */
  @Override
  public Association update(String associationId, String roleArn) {
    boolean chained = describe(associationId).map(a -> a.targetRoleArn() != null).orElse(false);
    return association(
        calls.call(
            "UpdatePodIdentityAssociation",
            () ->
                eks.updatePodIdentityAssociation(
                        r -> {
                          r.clusterName(clusterName)
                              .associationId(associationId)
                              .roleArn(roleArn)
                              .disableSessionTags(false);
                          if (chained) {
                            r.targetRoleArn("");
                          }
                        })
                    .association()));
  }

  @Override
  public void delete(String associationId) {
    calls.unlessGone(
        "DeletePodIdentityAssociation",
        () ->
            eks.deletePodIdentityAssociation(
                r -> r.clusterName(clusterName).associationId(associationId)));
  }

  /**
   * The same create, sent again after an answer was lost (a timeout, a restart), carries the same
   * token, so EKS answers with the association it made instead of making a second one.
   */
  String requestToken(String namespace, String serviceAccount, String roleArn) {
    var identity = String.join("\n", clusterName, namespace, serviceAccount, roleArn);
    return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static List<Listed> listed(List<PodIdentityAssociationSummary> summaries) {
    return summaries.stream()
        .map(s -> new Listed(s.associationId(), s.namespace(), s.serviceAccount()))
        .toList();
  }

  private static Association association(PodIdentityAssociation a) {
    return new Association(
        a.associationId(),
        a.associationArn(),
        a.namespace(),
        a.serviceAccount(),
        a.roleArn(),
        a.targetRoleArn() == null || a.targetRoleArn().isEmpty() ? null : a.targetRoleArn(),
        Boolean.TRUE.equals(a.disableSessionTags()),
        a.hasTags() ? a.tags() : Map.of());
  }
}
