package io.secureworkload.operator.testsupport;

import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.DefaultDenyNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.dependent.EnvelopeDependent;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.IngressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.Part;
import io.secureworkload.operator.dependent.SecretProviderClassDependentResource;
import io.secureworkload.operator.dependent.SecurityGroupPolicyDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.reconciler.PartOutcomes;
import io.secureworkload.operator.reconciler.SecureWorkloadReconciler;
import java.util.List;

/**
 * The real dependents, in the workflow's order, in an {@link Envelope}: what the status of a unit
 * test reads, without an API server.
 */
public final class TestEnvelope {

  public final IamRoleDependentResource iamRole;
  public final ServiceAccountDependentResource serviceAccount;
  public final SecretProviderClassDependentResource secretProviderClass;
  public final SecurityGroupPolicyDependentResource securityGroupPolicy;
  public final DefaultDenyNetworkPolicyDependentResource defaultDeny;
  public final IngressNetworkPolicyDependentResource ingress;
  public final EgressNetworkPolicyDependentResource egress;
  private final Envelope envelope = new Envelope(SecureWorkloadReconciler.DEPENDENTS);

  public TestEnvelope(OperatorSettings settings) {
    var services = TestServices.of(settings);
    iamRole = new IamRoleDependentResource(services);
    serviceAccount = new ServiceAccountDependentResource(services);
    secretProviderClass = new SecretProviderClassDependentResource(services);
    securityGroupPolicy = new SecurityGroupPolicyDependentResource(services);
    defaultDeny = new DefaultDenyNetworkPolicyDependentResource(services);
    ingress = new IngressNetworkPolicyDependentResource(services);
    egress = new EgressNetworkPolicyDependentResource(services);
    iamRole.setName(IamRoleDependentResource.NAME);
    serviceAccount.setName(ServiceAccountDependentResource.NAME);
    secretProviderClass.setName(SecretProviderClassDependentResource.NAME);
    securityGroupPolicy.setName(SecurityGroupPolicyDependentResource.NAME);
    defaultDeny.setName(DefaultDenyNetworkPolicyDependentResource.NAME);
    ingress.setName(IngressNetworkPolicyDependentResource.NAME);
    egress.setName(EgressNetworkPolicyDependentResource.NAME);
    all().forEach(envelope::add);
  }

  public List<DependentResource<?, ?>> all() {
    return List.of(
        iamRole,
        serviceAccount,
        secretProviderClass,
        securityGroupPolicy,
        defaultDeny,
        ingress,
        egress);
  }

  public Envelope envelope() {
    return envelope;
  }

  public PartOutcomes outcomes() {
    return new PartOutcomes(envelope);
  }

  public Part iamPart() {
    return iamRole.part();
  }

  public Part serviceAccountPart() {
    return serviceAccount.part();
  }

  public Part secretsPart() {
    return secretProviderClass.part();
  }

  public Part securityGroupsPart() {
    return securityGroupPolicy.part();
  }

  public Part networkPart() {
    return ((EnvelopeDependent) defaultDeny).part();
  }
}
