package io.secureworkload.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.aws.AwsAccounts;
import io.secureworkload.operator.aws.AwsPodIdentityAssociations;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.dependent.Admission;
import io.secureworkload.operator.dependent.DependentServices;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.metrics.MetricsServer;
import io.secureworkload.operator.podidentity.PodIdentity;
import io.secureworkload.operator.reconciler.AwsDriftSweep;
import io.secureworkload.operator.reconciler.PolicyStatusReconciler;
import io.secureworkload.operator.reconciler.SecureWorkloadReconciler;
import io.secureworkload.operator.reconciler.StatusAggregator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Puts the operator together from its settings and its AWS services: the one way the main class,
 * the tests and the demo build it.
 */
public final class OperatorAssembly {

  static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

  private final OperatorSettings settings;
  private final WorkloadRole workloadRole;
  private final IamAccounts accounts;
  private final PrometheusMeterRegistry registry;
  private final Admission admission;
  private final Envelope envelope = new Envelope(SecureWorkloadReconciler.DEPENDENTS);
  private final Leadership leadership;
  private volatile Runnable onLostLeadership = Leadership.exitProcess();
  private AwsAccounts awsAccounts;
  private final PodIdentity podIdentity;

  /**
   * @param accounts the AWS accounts roles live in, the operator's own first; AWS's, or fakes in
   *     unit tests
   */
  public OperatorAssembly(
      OperatorSettings settings, IamAccounts accounts, PrometheusMeterRegistry registry) {
    this(settings, accounts, PodIdentity.none(), registry);
  }

  /**
   * @param podIdentity the cluster's EKS Pod Identity associations; EKS's, or a fake in unit tests
   */
  public OperatorAssembly(
      OperatorSettings settings,
      IamAccounts accounts,
      PodIdentity podIdentity,
      PrometheusMeterRegistry registry) {
    this.settings = settings;
    this.podIdentity = podIdentity;
    this.workloadRole = new WorkloadRole(settings, () -> accounts.home().id());
    this.accounts = accounts;
    this.registry = registry;
    this.admission = new Admission(settings, workloadRole, accounts);
    this.leadership =
        new Leadership(settings.leaderElection(), registry, () -> onLostLeadership.run());
  }

  /** The operator on AWS (or on the endpoint the settings point at), with its own metrics. */
  public static OperatorAssembly onAws(
      OperatorSettings settings, AwsCredentialsProvider credentials) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var accounts = new AwsAccounts(settings, credentials, registry, () -> roleStates(settings));
    var associations =
        AwsPodIdentityAssociations.onAws(
            settings, credentials, registry, () -> accounts.home().id());
    var podIdentity = PodIdentity.of(associations, settings.podIdentityAssociationQuota());
    podIdentity.quota().registerGauges(registry);
    var assembly = new OperatorAssembly(settings, accounts, podIdentity, registry);
    assembly.awsAccounts = accounts;
    return assembly;
  }

  /** What is known of one account's roles, trusted as long as the sweeps keep vouching. */
  public static RoleStates roleStates(OperatorSettings settings) {
    return new RoleStates(
        RoleStates.trustHorizon(
            settings.resyncPeriod(), settings.awsDriftPeriod(), settings.awsDriftSweepMode()));
  }

  /**
   * The external ids of other accounts' roles, from the Secrets of the operator's namespace, read
   * with the operator's client at each credential refresh (once an hour per account, not watched).
   */
  public void readExternalIdsWith(KubernetesClient client) {
    if (awsAccounts == null) {
      return;
    }
    awsAccounts.readExternalIdsWith(target -> ExternalIds.read(client, settings, target));
  }

  public OperatorSettings settings() {
    return settings;
  }

  /** Every metric of the operator, AWS calls included. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** This instance's part in the leader election (always the leader when there is none). */
  public Leadership leadership() {
    return leadership;
  }

  /**
   * What to do when the Lease is lost while running; by default the process exits, as JOSDK's own
   * handler does. Tests that run two operators in one JVM record it instead.
   */
  public OperatorAssembly onLostLeadership(Runnable action) {
    this.onLostLeadership = action;
    return this;
  }

  public SecureWorkloadReconciler reconciler() {
    return new SecureWorkloadReconciler(
        workloadRole,
        admission,
        envelope,
        new StatusAggregator(Clock.systemUTC()),
        new AwsDriftSweep.Config(
            accounts, workloadRole, settings, registry, leadership::isLeader, podIdentity));
  }

  /**
   * Operator-wide configuration: dependents built with their services, bounded concurrency,
   * metrics.
   */
  public Consumer<ConfigurationServiceOverrider> configurationService() {
    return overrider -> {
      overrider
          .withDependentResourceFactory(new Dependents())
          .withConcurrentReconciliationThreads(settings.maxConcurrentReconciliations())
          // A reconciliation stopped half way leaves IAM half written until the next start.
          .withReconciliationTerminationTimeout(GRACEFUL_STOP)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (settings.leaderElection().enabled()) {
        overrider.withLeaderElectionConfiguration(leadership.configuration());
      }
    };
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

  /** The policies' status: its informers on SecureWorkloads keep to the watched namespaces. */
  public Consumer<ControllerConfigurationOverrider<SecureWorkloadPolicy>> policyController() {
    return overrider ->
        overrider.withRetry(
            new GenericRetry()
                .setInitialInterval(Duration.ofSeconds(2))
                .setIntervalMultiplier(2)
                .setMaxInterval(Duration.ofMinutes(5).toMillis())
                .withoutMaxAttempts());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  public Operator newOperator(KubernetesClient client) {
    readExternalIdsWith(client);
    var operator =
        new Operator(
            configurationService()
                // Running.close() still needs the client to release the Lease, then closes it.
                .andThen(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)));
    operator.register(reconciler(), (Consumer) controller());
    operator.register(
        new PolicyStatusReconciler(Clock.systemUTC(), settings.watchNamespaces()),
        (Consumer) policyController());
    return operator;
  }

  /**
   * Starts the operator and, when the settings give a port, /metrics and the probes. The probes are
   * served once the informers are synced: until then the pod is not ready, and says so by refusing
   * the connection rather than by guessing. With leader election, start returns once the informers
   * are synced whether or not this instance leads: a standby is ready, it only does not reconcile.
   */
  public Running start(KubernetesClient client) {
    var operator = newOperator(client);
    operator.start();
    var running = new Running(operator, client, leadership, null);
    if (settings.metricsPort() > 0) {
      try {
        return running.serving(new MetricsServer(settings.metricsPort(), registry, running::ready));
      } catch (IOException e) {
        running.close();
        throw new UncheckedIOException("Cannot serve metrics on " + settings.metricsPort(), e);
      }
    }
    return running;
  }

  /**
   * A started operator, its client and its metrics endpoint (null when switched off). Closing it
   * stops reconciling (waiting up to {@link #GRACEFUL_STOP} for reconciliations in flight), then
   * hands the Lease over, then closes the client.
   */
  public record Running(
      Operator operator, KubernetesClient client, Leadership leadership, MetricsServer metrics)
      implements AutoCloseable {

    Running serving(MetricsServer metrics) {
      return new Running(operator, client, leadership, metrics);
    }

    /** Started, and every informer synced and watching: what /readyz answers. */
    public boolean ready() {
      return operator.getRuntimeInfo().isStarted()
          && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    @Override
    public void close() {
      leadership.stopping();
      try {
        operator.stop();
        leadership.release(client);
      } finally {
        if (metrics != null) {
          metrics.close();
        }
        client.close();
      }
    }
  }

  /**
   * Builds each dependent with the services it asks for in its constructor (JOSDK would only call
   * no-argument constructors) and hands it to the envelope, so the status knows every part.
   */
  @SuppressWarnings("rawtypes")
  private final class Dependents
      implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {

    private final DependentServices services =
        new DependentServices(settings, workloadRole, accounts, admission, podIdentity);

    @Override
    public DependentResource createFrom(
        DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
      var dependent = instantiate(spec);
      configure(dependent, spec, configuration);
      // The workflow names its dependents only after the factory; the envelope needs the name now.
      if (dependent instanceof NameSetter named) {
        named.setName(spec.getName());
      }
      envelope.add(dependent);
      return dependent;
    }

    @Override
    public Class<?> associatedResourceType(DependentResourceSpec spec) {
      return instantiate(spec).resourceType();
    }

    private DependentResource instantiate(DependentResourceSpec spec) {
      Class<?> type = spec.getDependentResourceClass();
      try {
        try {
          return (DependentResource)
              type.getConstructor(DependentServices.class).newInstance(services);
        } catch (NoSuchMethodException e) {
          return (DependentResource) type.getConstructor().newInstance();
        }
      } catch (ReflectiveOperationException e) {
        var cause = e instanceof InvocationTargetException i ? i.getCause() : e;
        throw new IllegalStateException("Cannot create dependent " + type.getName(), cause);
      }
    }
  }
}
