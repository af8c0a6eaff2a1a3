package io.secureworkload.operator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * A {@code moto_server} process on a free loopback port: a fake AWS that the SDK talks to through
 * an endpoint override. Its output goes to {@code <build dir>/moto-<port>.log}.
 */
public final class MotoServer {

  public static final String REGION = "us-west-2";
  public static final String ACCOUNT_ID = "123456789012";
  public static final String ACCESS_KEY_ID = "testing";
  public static final String SECRET_ACCESS_KEY = "testing";

  private static final String BINARY_ENV = "MOTO_SERVER_BIN";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  // A free port can be taken by someone else before moto binds it; then we try another one.
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final URI endpoint;
  private final Path logFile;
  private final Thread killOnExit;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MotoServer(Process process, int port, Path logFile) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.logFile = logFile;
    this.killOnExit = new Thread(process::destroyForcibly, "moto-server-" + port + "-stop");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * The OIDC issuers of the clusters the tests run operators for; each has its provider in the
   * account, as on EKS once IRSA is set up (the operator refuses to call a role Ready without it).
   */
  public static final List<String> CLUSTER_ISSUERS =
      List.of(
          "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
          "https://oidc.eks.us-west-2.amazonaws.com/id/FAULTS",
          "https://oidc.eks.us-west-2.amazonaws.com/id/E2E",
          "https://oidc.eks.us-west-2.amazonaws.com/id/JAR");

  /**
   * Starts moto and returns once it answers HTTP, with the tests' clusters' OIDC providers in the
   * default account.
   */
  public static MotoServer start() {
    var server = start(Map.of());
    server.provisionClusters();
    return server;
  }

  /**
   * Starts moto with these environment variables added to ours, e.g. {@code
   * INITIAL_NO_AUTH_ACTION_COUNT} to switch on its IAM authorization after that many requests.
   */
  public static MotoServer start(Map<String, String> environment) {
    Path binary = binary();
    MotoServer server = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      server = launch(binary, freeLoopbackPort(), environment);
      if (server.awaitAnswering()) {
        return server;
      }
      server.stop();
    }
    throw new IllegalStateException(
        "moto_server exited during startup "
            + START_ATTEMPTS
            + " times; see the last log "
            + server.logFile());
  }

  /** Static credentials that moto accepts (it checks no signature). */
  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
  }

  public URI endpoint() {
    return endpoint;
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * Forgets every resource in every service and region, but for the tests' clusters' OIDC
   * providers, made again in the default account.
   */
  public void reset() {
    wipe();
    provisionClusters();
  }

  /** Creates the OIDC provider of each of the tests' clusters in this account (as its keys say). */
  public void provisionClusters(AwsCredentialsProvider account) {
    try (var iam =
        IamClient.builder()
            .endpointOverride(endpoint)
            .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
            .credentialsProvider(account)
            .build()) {
      for (var issuer : CLUSTER_ISSUERS) {
        try {
          iam.createOpenIDConnectProvider(
              r ->
                  r.url(issuer)
                      .clientIDList("sts.amazonaws.com")
                      .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
        } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
          // Made before: nothing to do.
        }
      }
    }
  }

  private void provisionClusters() {
    provisionClusters(credentials());
  }

  private void wipe() {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "moto reset answered " + response.statusCode() + ": " + response.body());
    }
  }

  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; nothing left to undo.
    }
  }

  private static Path binary() {
    String fromEnv = System.getenv(BINARY_ENV);
    Path binary =
        fromEnv != null && !fromEnv.isBlank()
            ? Path.of(fromEnv)
            : TestPaths.repoRoot().resolve(".venv/bin/moto_server");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "moto_server not found at "
              + binary
              + ". Run `make moto` in the repository root, or point "
              + BINARY_ENV
              + " at a moto_server executable.");
    }
    return binary;
  }

  private static MotoServer launch(Path binary, int port, Map<String, String> environment) {
    Path logFile = TestPaths.buildDir().resolve("moto-" + port + ".log");
    try {
      Files.createDirectories(logFile.getParent());
      var builder =
          new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      return new MotoServer(process, port, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + binary, e);
    }
  }

  /** Returns false if moto exited before answering, e.g. because its port was taken. */
  private boolean awaitAnswering() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    HttpRequest probe =
        HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(2)).GET().build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return true;
      } catch (IOException notYetListening) {
        sleep(Duration.ofMillis(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for moto_server", e);
      }
    }
    throw new IllegalStateException(
        "moto_server did not answer on "
            + endpoint
            + " within "
            + STARTUP_TIMEOUT
            + "; see "
            + logFile);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("moto_server at " + endpoint + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling moto_server", e);
    }
  }

  /** A loopback port that was free a moment ago. */
  /** Whether IAM (moto) has a role of this name: one GetRole. */
  public static boolean roleExists(IamClient iam, String roleName) {
    try {
      iam.getRole(r -> r.roleName(roleName));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for moto_server", e);
    }
  }
}
