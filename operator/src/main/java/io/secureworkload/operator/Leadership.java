package io.secureworkload.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.secureworkload.operator.config.LeaderElectionSettings;
import java.net.HttpURLConnection;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in the leader election: the JOSDK configuration, the {@code
 * secureworkload_leader} gauge, a log line on every change, and the hand-over on shutdown.
 *
 * <p>JOSDK 5.2 builds fabric8's LeaderElector with {@code releaseOnCancel=false} and does not let
 * us change it, so a stopping leader would leave the Lease to expire (up to its duration). {@link
 * #release} does what {@code releaseOnCancel} would: once the controllers have stopped, a Lease
 * still held by us is given up (no holder, one-second duration), and the standby, which tries every
 * retry period, takes it at once.
 */
public final class Leadership {

  public static final String GAUGE = "secureworkload_leader";

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final LeaderElectionSettings settings;
  private final String identity;
  private final Runnable onLostLeadership;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * @param onLostLeadership what to do when the Lease is lost while running (a renewal that failed
   *     for the renew deadline): another instance may already reconcile, so the process must stop
   */
  Leadership(LeaderElectionSettings settings, MeterRegistry registry, Runnable onLostLeadership) {
    this.settings = settings;
    this.identity =
        settings.identity() == null || settings.identity().isBlank()
            ? UUID.randomUUID().toString()
            : settings.identity();
    this.onLostLeadership = onLostLeadership;
    Gauge.builder(GAUGE, () -> isLeader() ? 1 : 0)
        .description("1 while this instance holds the leader Lease and reconciles, else 0")
        .register(registry);
  }

  /** Exits the JVM, as JOSDK would: a deposed leader must not reconcile beside the new one. */
  static Runnable exitProcess() {
    return () ->
        // A new thread: exit runs the shutdown hooks, which wait for threads that may be this one.
        new Thread(() -> System.exit(1), "secure-workload-operator-deposed").start();
  }

  /** True when this instance reconciles: it holds the Lease, or there is no election. */
  public boolean isLeader() {
    return !settings.enabled() || leading.get();
  }

  public String identity() {
    return identity;
  }

  LeaderElectionConfiguration configuration() {
    var builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                LeaderElectionSettings.LEASE_NAME)
            .withIdentity(identity)
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            // JOSDK's exit would also fire on a graceful stop; ours tells the two apart.
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {}));
    settings.namespace().ifPresent(builder::withLeaseNamespace);
    return builder.build();
  }

  private void startedLeading() {
    leading.set(true);
    log.info("Became the leader (Lease {}, identity {}): reconciling", lease(), identity);
  }

  private void stoppedLeading() {
    if (!leading.getAndSet(false)) {
      return;
    }
    if (stopping.get()) {
      log.info("Stopped leading (Lease {}, identity {}): shutting down", lease(), identity);
      return;
    }
    log.error(
        "Lost the leader Lease {} (identity {}) while running; stopping so that only the new"
            + " leader reconciles",
        lease(),
        identity);
    onLostLeadership.run();
  }

  /** Called before the operator stops, so that losing the Lease then is expected. */
  void stopping() {
    stopping.set(true);
  }

  /**
   * Gives the Lease up if this instance still holds it; call after the controllers stopped. A
   * failure only costs the standby the rest of the lease duration, so it is logged, not thrown.
   */
  void release(KubernetesClient client) {
    if (!settings.enabled()) {
      return;
    }
    // Where JOSDK put it: the configured namespace, else the client's (in a pod, its own).
    String namespace = settings.namespace().orElse(client.getConfiguration().getNamespace());
    var leases = client.leases().inNamespace(namespace).withName(LeaderElectionSettings.LEASE_NAME);
    try {
      var lease = leases.get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      var now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      // An update, not a patch: its resourceVersion makes it fail if someone else took the Lease.
      client.resource(lease).update();
      log.info("Released the leader Lease {}/{} for the standby", namespace, lease());
    } catch (RuntimeException e) {
      if (e instanceof KubernetesClientException k
          && k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        log.info("The leader Lease changed hands before it could be released");
      } else {
        log.warn(
            "Could not release the leader Lease {}/{}; the standby takes over within {}",
            namespace,
            lease(),
            settings.leaseDuration(),
            e);
      }
    }
  }

  private static String lease() {
    return LeaderElectionSettings.LEASE_NAME;
  }
}
