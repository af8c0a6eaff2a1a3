package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.TerminalException;
import io.secureworkload.operator.podidentity.AssociationQuota;
import io.secureworkload.operator.podidentity.PodIdentityAssociations;
import io.secureworkload.operator.podidentity.PodIdentityAssociations.Association;
import java.util.Optional;

/**
 * The EKS Pod Identity association that binds the workload's ServiceAccount to its role, while the
 * workload's identity plan ({@link IdentitySwitch}) holds Pod Identity; deleted when it does not.
 * It reports on the IAM role's part: the association is how the role reaches the pods.
 *
 * <p>An association of the ServiceAccount is the workload's own only with the role's ownership
 * tags; another one is never taken over or deleted. Ours is kept pointed at the role, with session
 * tags (the role's trust is bound by them) and without a target role.
 */
public class PodIdentityAssociationDependentResource
    implements DependentResource<Association, SecureWorkload>,
        Deleter<SecureWorkload>,
        NameSetter,
        EnvelopeDependent {

  public static final String NAME = "pod-identity-association";

  /** Where the association found or made in this reconciliation is left for the status. */
  public static final String CONTEXT_KEY = "secureworkload.io/pod-identity-association";

  private final PodIdentityAssociations associations;
  private final AssociationQuota quota;
  private final WorkloadRole workloadRole;
  private final Admission admission;
  private final IdentitySwitch identitySwitch;
  private String name = NAME;

  public PodIdentityAssociationDependentResource(DependentServices services) {
    this.associations = services.podIdentity().associations();
    this.quota = services.podIdentity().quota();
    this.workloadRole = services.workloadRole();
    this.admission = services.admission();
    this.identitySwitch = services.identitySwitch();
  }

  @Override
  public Part part() {
    return IamRoleDependentResource.PART;
  }

  @Override
  public Optional<String> objectName(SecureWorkload admitted, Context<SecureWorkload> context) {
    return made(context).map(a -> "with Pod Identity association " + a.id());
  }

  @Override
  public ReconcileResult<Association> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var plan = identitySwitch.plan(workload, context);
    if (!plan.associate()) {
      // An IRSA workload costs EKS nothing: only an association the status names is looked for.
      if (knownId(workload) != null) {
        findOurs(workload, context)
            .ifPresent(association -> delete(association, context, "Pod Identity not in use"));
      }
      return ReconcileResult.noOperation(null);
    }
    var existing = find(workload, context);
    var roleArn =
        IamRoleDependentResource.reconciledRole(context)
            .map(ActualRole::arn)
            .orElseThrow(() -> new IllegalStateException("The role was not reconciled"));
    var serviceAccount =
        WorkloadRole.serviceAccountName(admission.of(workload, context).admitted());
    var namespace = workload.getMetadata().getNamespace();
    if (existing.isEmpty()) {
      quota.requireRoomForOne();
      var created =
          associations.create(
              namespace,
              serviceAccount,
              roleArn,
              workloadRole.ownershipTags(workload, namespaceUid(workload, context)));
      quota.created();
      keep(context, created);
      WorkloadChanges.in(context)
          .add(
              WorkloadChanges.Kind.CREATED,
              NAME,
              "Pod Identity association " + created.id(),
              namespace + "/" + serviceAccount + " to " + roleArn);
      return ReconcileResult.resourceCreated(created);
    }
    var association = existing.get();
    if (!association.serviceAccount().equals(serviceAccount)) {
      // EKS cannot rename an association's ServiceAccount: the old one goes, a new one is made.
      delete(association, context, "renamed to " + serviceAccount);
      return reconcile(workload, context);
    }
    if (association.bindsExactly(roleArn)) {
      keep(context, association);
      return ReconcileResult.noOperation(association);
    }
    var repaired = associations.update(association.id(), roleArn);
    keep(context, repaired);
    WorkloadChanges.in(context)
        .add(
            WorkloadChanges.Kind.REPAIRED,
            NAME,
            "Pod Identity association " + repaired.id(),
            "pointed at " + roleArn + " again, with session tags and no target role");
    return ReconcileResult.resourceUpdated(repaired);
  }

  @Override
  public void delete(SecureWorkload workload, Context<SecureWorkload> context) {
    // Another owner's association never blocks the workload's deletion: it is simply not ours.
    if (knownId(workload) != null || identitySwitch.plan(workload, context).associate()) {
      findOurs(workload, context).ifPresent(a -> delete(a, context, null));
    }
  }

  private static String knownId(SecureWorkload workload) {
    var status = workload.getStatus();
    return status == null || status.getIdentity() == null
        ? null
        : status.getIdentity().getAssociationId();
  }

  /**
   * The workload's association: the one its status names, else one of its ServiceAccount carrying
   * its tags (made before the status could say so). One of the ServiceAccount that is not ours
   * fails the part: it binds some role to the workload's pods, and only its owner may change that.
   */
  private Optional<Association> find(SecureWorkload workload, Context<SecureWorkload> context) {
    return find(workload, context, true);
  }

  /** The workload's association, if it has one; another owner's is passed over. */
  private Optional<Association> findOurs(SecureWorkload workload, Context<SecureWorkload> context) {
    return find(workload, context, false);
  }

  private Optional<Association> find(
      SecureWorkload workload, Context<SecureWorkload> context, boolean refuseForeign) {
    var namespaceUid = namespaceUid(workload, context);
    var known = knownId(workload);
    if (known != null) {
      var described = associations.describe(known).filter(a -> ours(workload, namespaceUid, a));
      if (described.isPresent()) {
        return described;
      }
    }
    var namespace = workload.getMetadata().getNamespace();
    var serviceAccount =
        WorkloadRole.serviceAccountName(admission.of(workload, context).admitted());
    for (var listed : associations.list(namespace, serviceAccount)) {
      var association = associations.describe(listed.id());
      if (association.isEmpty()) {
        continue;
      }
      if (!ours(workload, namespaceUid, association.get())) {
        if (!refuseForeign) {
          continue;
        }
        throw new TerminalException(
            ConditionReason.PodIdentityAssociationNotOwned,
            "The EKS Pod Identity association "
                + listed.id()
                + " of ServiceAccount "
                + namespace
                + "/"
                + serviceAccount
                + " (role "
                + association.get().roleArn()
                + ") was not made by the operator for this SecureWorkload, so it is left"
                + " alone and no other is made (EKS allows one per ServiceAccount). Delete it,"
                + " or choose another spec.serviceAccount.name.");
      }
      return association;
    }
    return Optional.empty();
  }

  private boolean ours(SecureWorkload workload, String namespaceUid, Association association) {
    return workloadRole.owns(workload, namespaceUid, association.tags());
  }

  private void delete(Association association, Context<SecureWorkload> context, String why) {
    associations.delete(association.id());
    quota.deleted();
    if (why != null) {
      WorkloadChanges.in(context)
          .add(
              WorkloadChanges.Kind.DELETED,
              NAME,
              "Pod Identity association " + association.id(),
              why);
    }
  }

  private String namespaceUid(SecureWorkload workload, Context<SecureWorkload> context) {
    return admission.of(workload, context).requireNamespaceUid();
  }

  private static void keep(Context<SecureWorkload> context, Association association) {
    context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, association);
  }

  /** The association found or made in this reconciliation, if any. */
  public static Optional<Association> made(Context<SecureWorkload> context) {
    return context.managedWorkflowAndDependentResourceContext().get(CONTEXT_KEY, Association.class);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public Class<Association> resourceType() {
    return Association.class;
  }
}
