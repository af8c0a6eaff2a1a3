package io.secureworkload.operator.testsupport.eks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secureworkload.operator.testsupport.faults.Answer;
import io.secureworkload.operator.testsupport.faults.LoopbackHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * EKS's pod identity association API for tests: an HTTP server that speaks the REST-JSON protocol
 * the real SDK sends (create, list with filters and pages, describe, update, delete), keeps the
 * associations of the clusters it was told of, and answers errors as EKS does (status, {@code
 * x-amzn-ErrorType} header, {@code {"message": ...}} body), so that the SDK raises its own
 * exception classes.
 *
 * <p>What it checks: the cluster exists; the association exists; one association per namespace and
 * ServiceAccount ({@code ResourceInUseException}); the cluster's association limit ({@code
 * ResourceLimitExceededException}, 5,000 unless set); the role exists in moto and is in the
 * double's account; a target role is in another account than the role and exists there (it then
 * gets an external id); a client request token that comes again with the same parameters answers
 * the association it made, while that association exists.
 *
 * <p>What it does NOT check: request signatures and the caller's IAM permissions ({@code
 * iam:PassRole}, {@code eks:*}); the role's trust policy (whether {@code pods.eks.amazonaws.com}
 * may assume it and tag the session); whether the cluster runs the Pod Identity agent add-on;
 * session policies ({@code policy}, recorded but ignored); tag limits and key syntax; the formats
 * of namespace and ServiceAccount names; EKS's eventual consistency (every change is visible at
 * once); EKS's own rate limits (use {@link #failNext} for a throttle). A reused token is not
 * remembered after its association is deleted.
 */
public final class EksDouble implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Pattern ROUTE =
      Pattern.compile("^/clusters/([^/]+)/pod-identity-associations(?:/([^/]+))?/?$");
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int DEFAULT_PAGE = 100;
  public static final int DEFAULT_ASSOCIATION_LIMIT = 5000;

  private final String region;
  private final String accountId;
  private final EksRoleCheck roles;
  private final LoopbackHttpServer server;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> clusters = ConcurrentHashMap.newKeySet();
  // Every association of every cluster by id, in creation order; guarded by this.
  private final Map<String, StoredAssociation> associations = new LinkedHashMap<>();
  private final List<EksRecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<EksFailure>> failures = new ConcurrentHashMap<>();
  private final AtomicLong order = new AtomicLong();
  private volatile int associationLimit = DEFAULT_ASSOCIATION_LIMIT;

  private EksDouble(URI motoEndpoint, String region, String accountId) {
    this.region = region;
    this.accountId = accountId;
    this.roles = new EksRoleCheck(motoEndpoint, accountId);
    this.server = new LoopbackHttpServer(request -> Optional.of(answer(request)));
  }

  /** A double of EKS in this region and account, checking roles in the moto at this endpoint. */
  public static EksDouble start(URI motoEndpoint, String region, String accountId) {
    return new EksDouble(motoEndpoint, region, accountId);
  }

  /** The next number of one order shared by every double and whatever a test numbers with it. */
  public static long nextSequence() {
    return SEQUENCE.incrementAndGet();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  public String accountId() {
    return accountId;
  }

  public EksDouble addCluster(String name) {
    clusters.add(name);
    return this;
  }

  /** Forgets the associations, the recorded requests, the planned failures and the limit. */
  public synchronized void reset() {
    associations.clear();
    requests.clear();
    failures.clear();
    associationLimit = DEFAULT_ASSOCIATION_LIMIT;
  }

  /** The most associations one cluster may have. */
  public void associationLimit(int limit) {
    associationLimit = limit;
  }

  /** Every association of every cluster, in creation order. */
  public synchronized List<StoredAssociation> associations() {
    return List.copyOf(associations.values());
  }

  public synchronized Optional<StoredAssociation> association(String id) {
    return Optional.ofNullable(associations.get(id));
  }

  /** The requests received, in arrival order. */
  public List<EksRecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public List<EksRecordedRequest> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  /** The next request of this operation is answered with this error instead. */
  public void failNext(String operation, int httpStatus, String code) {
    failures
        .computeIfAbsent(operation, o -> new ConcurrentLinkedQueue<>())
        .add(new EksFailure(httpStatus, code, "Injected by the test"));
  }

  /** An association deleted outside the operator (the console, another tool). */
  public synchronized void deleteByHand(String associationId) {
    associations.remove(associationId);
  }

  /** An association pointed at another role outside the operator; the role is not checked. */
  public synchronized void repointByHand(String associationId, String roleArn) {
    associations.computeIfPresent(associationId, (id, a) -> a.withRole(roleArn, Instant.now()));
  }

  /** An association made outside the operator; neither role nor limit is checked. */
  public synchronized StoredAssociation createByHand(
      String cluster,
      String namespace,
      String serviceAccount,
      String roleArn,
      Map<String, String> tags) {
    var made = newAssociation(cluster, namespace, serviceAccount, roleArn, false, tags, null);
    associations.put(made.associationId(), made);
    return made;
  }

  @Override
  public void close() {
    server.close();
    roles.close();
  }

  private Answer answer(LoopbackHttpServer.Request request) {
    var matcher = ROUTE.matcher(request.target().getRawPath());
    if (!matcher.matches()) {
      return error(new EksFailure(404, "UnknownOperationException", "No such path"));
    }
    var path = new HashMap<String, String>();
    path.put("clusterName", decode(matcher.group(1)));
    if (matcher.group(2) != null) {
      path.put("associationId", decode(matcher.group(2)));
    }
    var operation = operation(request.method(), matcher.group(2) != null);
    try {
      var body = body(request);
      var query = query(request.target().getRawQuery());
      requests.add(
          new EksRecordedRequest(nextSequence(), Instant.now(), operation, path, query, body));
      var planned = failures.getOrDefault(operation, new ConcurrentLinkedQueue<>()).poll();
      if (planned != null) {
        throw planned;
      }
      return ok(handle(operation, path, query, body));
    } catch (EksFailure failure) {
      return error(failure);
    }
  }

  private static String operation(String method, boolean oneAssociation) {
    return switch (method + (oneAssociation ? " one" : " all")) {
      case "POST all" -> "CreatePodIdentityAssociation";
      case "GET all" -> "ListPodIdentityAssociations";
      case "GET one" -> "DescribePodIdentityAssociation";
      case "POST one" -> "UpdatePodIdentityAssociation";
      case "DELETE one" -> "DeletePodIdentityAssociation";
      default -> "Unknown";
    };
  }

  private synchronized Object handle(
      String operation,
      Map<String, String> path,
      Map<String, String> query,
      Map<String, Object> body) {
    var cluster = path.get("clusterName");
    if (!clusters.contains(cluster)) {
      throw EksFailure.notFound("No cluster found for name: " + cluster + ".");
    }
    return switch (operation) {
      case "CreatePodIdentityAssociation" -> single(create(cluster, body));
      case "ListPodIdentityAssociations" -> list(cluster, query);
      case "DescribePodIdentityAssociation" -> single(existing(cluster, path));
      case "UpdatePodIdentityAssociation" -> single(update(existing(cluster, path), body));
      case "DeletePodIdentityAssociation" ->
          single(associations.remove(existing(cluster, path).associationId()));
      default -> throw new EksFailure(404, "UnknownOperationException", "No such operation");
    };
  }

  private StoredAssociation create(String cluster, Map<String, Object> body) {
    var namespace = required(body, "namespace");
    var serviceAccount = required(body, "serviceAccount");
    var roleArn = required(body, "roleArn");
    var token = (String) body.get("clientRequestToken");
    var again =
        ofCluster(cluster).stream()
            .filter(a -> token != null && token.equals(a.clientRequestToken()))
            .filter(
                a -> a.namespace().equals(namespace) && a.serviceAccount().equals(serviceAccount))
            .filter(a -> a.roleArn().equals(roleArn))
            .findFirst();
    if (again.isPresent()) {
      return again.get();
    }
    if (ofCluster(cluster).stream()
        .anyMatch(
            a -> a.namespace().equals(namespace) && a.serviceAccount().equals(serviceAccount))) {
      throw new EksFailure(
          409,
          "ResourceInUseException",
          "Association already exists for serviceAccount "
              + serviceAccount
              + " in namespace "
              + namespace);
    }
    if (ofCluster(cluster).size() >= associationLimit) {
      throw new EksFailure(
          400,
          "ResourceLimitExceededException",
          "Pod identity associations limit of " + associationLimit + " reached for the cluster");
    }
    checkRole(roleArn);
    var targetRoleArn = (String) body.get("targetRoleArn");
    if (targetRoleArn != null) {
      checkTarget(roleArn, targetRoleArn);
    }
    var made =
        newAssociation(
            cluster,
            namespace,
            serviceAccount,
            roleArn,
            Boolean.TRUE.equals(body.get("disableSessionTags")),
            tags(body.get("tags")),
            token);
    if (targetRoleArn != null) {
      made = made.withTarget(targetRoleArn, UUID.randomUUID().toString(), made.createdAt());
    }
    associations.put(made.associationId(), made);
    return made;
  }

  private StoredAssociation update(StoredAssociation association, Map<String, Object> body) {
    var now = Instant.now();
    var updated = association;
    var roleArn = (String) body.get("roleArn");
    if (roleArn != null) {
      checkRole(roleArn);
      updated = updated.withRole(roleArn, now);
    }
    // An empty target role takes the association's target away.
    var targetRoleArn = (String) body.get("targetRoleArn");
    if (targetRoleArn != null && targetRoleArn.isEmpty()) {
      updated = updated.withTarget(null, null, now);
    } else if (targetRoleArn != null) {
      checkTarget(updated.roleArn(), targetRoleArn);
      var externalId =
          updated.externalId() == null ? UUID.randomUUID().toString() : updated.externalId();
      updated = updated.withTarget(targetRoleArn, externalId, now);
    }
    if (body.get("disableSessionTags") instanceof Boolean disabled) {
      updated = updated.withSessionTagsDisabled(disabled, now);
    }
    associations.put(updated.associationId(), updated);
    return updated;
  }

  private Map<String, Object> list(String cluster, Map<String, String> query) {
    int pageSize = pageSize(query.get("maxResults"));
    long from = query.containsKey("nextToken") ? token(query.get("nextToken")) : 0;
    var matching =
        ofCluster(cluster).stream()
            .filter(
                a ->
                    !query.containsKey("namespace") || a.namespace().equals(query.get("namespace")))
            .filter(
                a ->
                    !query.containsKey("serviceAccount")
                        || a.serviceAccount().equals(query.get("serviceAccount")))
            .filter(a -> a.order() >= from)
            .toList();
    var page = matching.subList(0, Math.min(pageSize, matching.size()));
    var answer = new LinkedHashMap<String, Object>();
    answer.put("associations", page.stream().map(this::summary).toList());
    if (matching.size() > pageSize) {
      // The token names where the next page starts, so a deletion between pages skips nothing.
      answer.put("nextToken", Long.toString(matching.get(pageSize).order()));
    }
    return answer;
  }

  private static int pageSize(String maxResults) {
    if (maxResults == null) {
      return DEFAULT_PAGE;
    }
    int size = Integer.parseInt(maxResults);
    if (size < 1 || size > DEFAULT_PAGE) {
      throw EksFailure.invalidParameter("maxResults must be between 1 and 100");
    }
    return size;
  }

  private static long token(String nextToken) {
    try {
      return Long.parseLong(nextToken);
    } catch (NumberFormatException e) {
      throw EksFailure.invalidParameter("Invalid nextToken");
    }
  }

  private StoredAssociation existing(String cluster, Map<String, String> path) {
    var id = path.get("associationId");
    var association = associations.get(id);
    if (association == null || !association.clusterName().equals(cluster)) {
      throw EksFailure.notFound("No Pod Identity Association found for id " + id);
    }
    return association;
  }

  private void checkRole(String roleArn) {
    if (!EksRoleCheck.account(roleArn).equals(accountId)) {
      throw EksFailure.invalidParameter(
          "The role " + roleArn + " must be in the cluster's account " + accountId);
    }
    if (!roles.exists(roleArn)) {
      throw EksFailure.invalidParameter("Role " + roleArn + " does not exist");
    }
  }

  private void checkTarget(String roleArn, String targetRoleArn) {
    if (EksRoleCheck.account(targetRoleArn).equals(EksRoleCheck.account(roleArn))) {
      throw EksFailure.invalidParameter(
          "The target role " + targetRoleArn + " must be in another account than the role");
    }
    if (!roles.exists(targetRoleArn)) {
      throw EksFailure.invalidParameter("Role " + targetRoleArn + " does not exist");
    }
  }

  private List<StoredAssociation> ofCluster(String cluster) {
    return associations.values().stream().filter(a -> a.clusterName().equals(cluster)).toList();
  }

  private StoredAssociation newAssociation(
      String cluster,
      String namespace,
      String serviceAccount,
      String roleArn,
      boolean disableSessionTags,
      Map<String, String> tags,
      String token) {
    var id = associationId();
    var now = Instant.now();
    return new StoredAssociation(
        order.incrementAndGet(),
        cluster,
        id,
        associationArn(region, accountId, cluster, id),
        namespace,
        serviceAccount,
        roleArn,
        null,
        null,
        disableSessionTags,
        tags,
        now,
        now,
        token);
  }

  /** EKS's form: {@code a-} and 17 lowercase letters and digits. */
  String associationId() {
    var id = new StringBuilder("a-");
    for (int i = 0; i < 17; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  static String associationArn(String region, String account, String cluster, String id) {
    return "arn:aws:eks:"
        + region
        + ":"
        + account
        + ":podidentityassociation/"
        + cluster
        + "/"
        + id;
  }

  private Map<String, Object> summary(StoredAssociation a) {
    var summary = new LinkedHashMap<String, Object>();
    summary.put("clusterName", a.clusterName());
    summary.put("namespace", a.namespace());
    summary.put("serviceAccount", a.serviceAccount());
    summary.put("associationArn", a.associationArn());
    summary.put("associationId", a.associationId());
    summary.put("ownerArn", null);
    return summary;
  }

  private static Map<String, Object> single(StoredAssociation a) {
    var described = new LinkedHashMap<String, Object>();
    described.put("clusterName", a.clusterName());
    described.put("namespace", a.namespace());
    described.put("serviceAccount", a.serviceAccount());
    described.put("roleArn", a.roleArn());
    described.put("associationArn", a.associationArn());
    described.put("associationId", a.associationId());
    described.put("tags", a.tags());
    described.put("createdAt", epochSeconds(a.createdAt()));
    described.put("modifiedAt", epochSeconds(a.modifiedAt()));
    described.put("disableSessionTags", a.disableSessionTags());
    if (a.targetRoleArn() != null) {
      described.put("targetRoleArn", a.targetRoleArn());
      described.put("externalId", a.externalId());
    }
    return Map.of("association", described);
  }

  private static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private static String required(Map<String, Object> body, String field) {
    if (!(body.get(field) instanceof String value) || value.isEmpty()) {
      throw EksFailure.invalidParameter(field + " is required");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> tags(Object tags) {
    return tags instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
  }

  private static Map<String, Object> body(LoopbackHttpServer.Request request) {
    if (request.body().length == 0) {
      return Map.of();
    }
    try {
      return JSON.readValue(request.body(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new EksFailure(400, "SerializationException", "Body is not JSON");
    }
  }

  private static Map<String, String> query(String rawQuery) {
    var query = new LinkedHashMap<String, String>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (var pair : rawQuery.split("&")) {
      var parts = pair.split("=", 2);
      query.put(decode(parts[0]), parts.length == 2 ? decode(parts[1]) : "");
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static Answer ok(Object body) {
    return json(200, Map.of(), body);
  }

  private static Answer error(EksFailure failure) {
    return json(
        failure.status(),
        Map.of("x-amzn-ErrorType", List.of(failure.code())),
        Map.of("message", String.valueOf(failure.getMessage())));
  }

  private static Answer json(int status, Map<String, List<String>> extra, Object body) {
    var headers = new HashMap<String, List<String>>(extra);
    headers.put("Content-Type", List.of("application/json"));
    headers.put("x-amzn-RequestId", List.of(UUID.randomUUID().toString()));
    try {
      return new Answer(status, headers, JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
