package io.secureworkload.operator;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.reconciler.PartOutcomes;
import io.secureworkload.operator.reconciler.SecureWorkloadReconciler;
import io.secureworkload.operator.reconciler.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Puts the operator together from its settings and its AWS services; used by the main class and,
 * with an emulator behind the AWS services, by the tests and the demo.
 */
public final class OperatorAssembly {

  static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

  private final OperatorSettings settings;
  private final WorkloadRole workloadRole;
  private final IamRoles iamRoles;
  private final MeterRegistry registry;

  public OperatorAssembly(
      OperatorSettings settings,
      IamRoles iamRoles,
      Supplier<String> accountId,
      MeterRegistry registry) {
    this.settings = settings;
    this.workloadRole = new WorkloadRole(settings, accountId);
    this.iamRoles = iamRoles;
    this.registry = registry;
  }

  public SecureWorkloadReconciler reconciler() {
    return new SecureWorkloadReconciler(
        workloadRole, new PartOutcomes(settings), new StatusAggregator(Clock.systemUTC()));
  }

  /**
   * Operator-wide configuration: dependents built with their services, bounded concurrency,
   * metrics.
   */
  public Consumer<ConfigurationServiceOverrider> configurationService() {
    return overrider ->
        overrider
            .withDependentResourceFactory(new Dependents())
            .withConcurrentReconciliationThreads(settings.maxConcurrentReconciliations())
            // A reconciliation stopped half way leaves IAM half written until the next start.
            .withReconciliationTerminationTimeout(GRACEFUL_STOP)
            .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
  }

  /** Controller configuration: watched namespaces, retries with backoff, periodic drift check. */
  public Consumer<ControllerConfigurationOverrider<SecureWorkload>> controller() {
    return overrider -> {
      if (!settings.watchNamespaces().isEmpty()) {
        overrider.settingNamespaces(settings.watchNamespaces());
      }
      overrider
          .withRetry(
              new GenericRetry()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setIntervalMultiplier(2)
                  .setMaxInterval(Duration.ofMinutes(5).toMillis())
                  .withoutMaxAttempts())
          .withReconciliationMaxInterval(settings.resyncPeriod());
    };
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  public Operator newOperator(Consumer<ConfigurationServiceOverrider> extra) {
    var operator = new Operator(configurationService().andThen(extra));
    operator.register(reconciler(), (Consumer) controller());
    return operator;
  }

  /**
   * Builds the dependents with the services they need; JOSDK would only call no-arg constructors.
   */
  @SuppressWarnings("rawtypes")
  private final class Dependents
      implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {

    private final Map<Class<?>, Supplier<DependentResource>> constructors =
        Map.of(
            IamRoleDependentResource.class,
                () -> new IamRoleDependentResource(iamRoles, workloadRole),
            ServiceAccountDependentResource.class,
                () -> new ServiceAccountDependentResource(workloadRole),
            EgressNetworkPolicyDependentResource.class,
                () -> new EgressNetworkPolicyDependentResource(settings));

    private final Map<Class<?>, Class<?>> resourceTypes =
        Map.of(
            IamRoleDependentResource.class, ActualRole.class,
            ServiceAccountDependentResource.class, ServiceAccount.class,
            EgressNetworkPolicyDependentResource.class, NetworkPolicy.class);

    @Override
    public DependentResource createFrom(
        DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
      var constructor = constructors.get(spec.getDependentResourceClass());
      if (constructor == null) {
        return DependentResourceFactory.super.createFrom(spec, configuration);
      }
      var dependent = constructor.get();
      configure(dependent, spec, configuration);
      return dependent;
    }

    @Override
    public Class<?> associatedResourceType(DependentResourceSpec spec) {
      var type = resourceTypes.get(spec.getDependentResourceClass());
      return type != null ? type : DependentResourceFactory.super.associatedResourceType(spec);
    }
  }
}
