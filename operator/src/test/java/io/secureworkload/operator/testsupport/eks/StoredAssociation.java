package io.secureworkload.operator.testsupport.eks;

import java.time.Instant;
import java.util.Map;

/** An association as the EKS double holds it; a snapshot, not a live view. */
public record StoredAssociation(
    long order,
    String clusterName,
    String associationId,
    String associationArn,
    String namespace,
    String serviceAccount,
    String roleArn,
    String targetRoleArn,
    String externalId,
    boolean disableSessionTags,
    Map<String, String> tags,
    Instant createdAt,
    Instant modifiedAt,
    String clientRequestToken) {

  public StoredAssociation {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  StoredAssociation withRole(String newRoleArn, Instant now) {
    return new StoredAssociation(
        order,
        clusterName,
        associationId,
        associationArn,
        namespace,
        serviceAccount,
        newRoleArn,
        targetRoleArn,
        externalId,
        disableSessionTags,
        tags,
        createdAt,
        now,
        clientRequestToken);
  }

  StoredAssociation withTarget(String newTargetRoleArn, String newExternalId, Instant now) {
    return new StoredAssociation(
        order,
        clusterName,
        associationId,
        associationArn,
        namespace,
        serviceAccount,
        roleArn,
        newTargetRoleArn,
        newExternalId,
        disableSessionTags,
        tags,
        createdAt,
        now,
        clientRequestToken);
  }

  StoredAssociation withSessionTagsDisabled(boolean disabled, Instant now) {
    return new StoredAssociation(
        order,
        clusterName,
        associationId,
        associationArn,
        namespace,
        serviceAccount,
        roleArn,
        targetRoleArn,
        externalId,
        disabled,
        tags,
        createdAt,
        now,
        clientRequestToken);
  }
}
