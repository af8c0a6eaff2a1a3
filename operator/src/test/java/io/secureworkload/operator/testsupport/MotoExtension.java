package io.secureworkload.operator.testsupport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One moto server per test class, wiped before each test. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final MotoExtension moto = new MotoExtension();
 * }</pre>
 *
 * <p>{@link #startedEagerly()} starts the server when the field is initialised, for test classes
 * whose other extensions need the endpoint as they are built (the operator's AWS clients).
 */
public final class MotoExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final List<SdkClient> clients = new ArrayList<>();
  private MotoServer server;
  // Nested test classes see the same static extension; only the outermost class owns the server.
  private Class<?> owner;

  public static MotoExtension startedEagerly() {
    var extension = new MotoExtension();
    extension.server = MotoServer.start();
    return extension;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      server = MotoServer.start();
    }
    if (owner == null) {
      owner = context.getRequiredTestClass();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server().reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null && context.getRequiredTestClass().equals(owner)) {
      clients.forEach(SdkClient::close);
      clients.clear();
      server.stop();
      server = null;
    }
  }

  public URI endpoint() {
    return server().endpoint();
  }

  public void reset() {
    server().reset();
  }

  /**
   * An IAM client for moto. IAM is global: the SDK wants {@code aws-global}, which it signs as
   * us-east-1.
   */
  public IamClient iamClient() {
    return register(
        IamClient.builder()
            .endpointOverride(endpoint())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(MotoServer.credentials())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build());
  }

  public StsClient stsClient() {
    return register(
        StsClient.builder()
            .endpointOverride(endpoint())
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(MotoServer.credentials())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build());
  }

  private <T extends SdkClient> T register(T client) {
    clients.add(client);
    return client;
  }

  public MotoServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "moto is not running: register MotoExtension on a static field with @RegisterExtension");
    }
    return server;
  }
}
