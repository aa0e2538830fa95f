package io.atrium.http;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.config.ConfigSection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API. Handlers validate input, make one event-bus request and map the reply (chat streams: see
 * {@link ChatRoutes}); every failure is rendered by {@link HttpErrors}. Deployed last, so no request can reach a consumer that is not registered yet.
 */
public final class HttpVerticle extends VerticleBase {
  private static final long HEALTH_TIMEOUT_MS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  private static final long REQUEST_TIMEOUT_MS = 30_000;
  private static final Set<String> SOURCE_TYPES = Set.of("resource", "task");
  private static final Set<String> ACTIONS = Set.of("created", "updated", "deleted");

  private HttpServer server;
  private HttpSettings settings;
  private ApiAccess access;

  @Override
  public Future<?> start() {
    settings = HttpSettings.fromJson(config());
    access = ApiAccess.fromConfig(config().getJsonObject("http"));
    JsonBody json = new JsonBody(settings.jsonBodyLimitBytes());
    UploadBody upload = new UploadBody(vertx, settings.uploadsTmpDir(), settings.uploads());

    Router router = Router.router(vertx);
    router.route().handler(new RequestGuard(settings.allowedOrigins(), settings.allowedHosts()));
    if (!settings.allowedOrigins().isEmpty()) {
      // CORS headers only for the origins the operator named; any other origin gets none (and the guard's 403)
      router.route().handler(CorsHandler.create().addOrigins(settings.allowedOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE))
          .allowedHeader("content-type").allowedHeader("authorization")
          // a browser's tus client (tus-js-client, Uppy) sends and reads these
          .allowedHeaders(Set.of("tus-resumable", "upload-length", "upload-offset", "upload-metadata", "upload-defer-length"))
          .exposedHeaders(Set.of("location", "tus-resumable", "tus-version", "tus-extension", "tus-max-size",
              "upload-offset", "upload-length", "upload-metadata", "upload-expires", "atrium-task-id", "atrium-document-id")));
    }
    router.route().handler(new Authentication(access));
    router.post("/api/v1/auth/ticket").handler(this::issueTicket);
    router.get("/health").handler(this::health);
    router.get("/api/v1/health").handler(this::health);
    router.post("/ingest/notify").handler(json).handler(this::notifyIngest);
    router.get("/ingest/status/:id").handler(ctx -> forward(ctx, Addresses.INGEST_STATUS, idBody(ctx), 200));
    router.post("/ingest/retry/:id").handler(ctx -> forward(ctx, Addresses.INGEST_RETRY, idBody(ctx), 202));
    router.post("/api/v1/documents/upload").handler(upload).handler(new UploadHandler(vertx, REQUEST_TIMEOUT_MS, false));
    new KnowledgeRoutes(vertx).mount(router, json, upload, new UploadHandler(vertx, REQUEST_TIMEOUT_MS, true));
    TusUploads tus = new TusUploads(vertx, Path.of(config().getString("tus_dir")),
        ConfigSection.of(config(), "tus").longInteger("max_size_mb") * 1024 * 1024,
        ConfigSection.of(config(), "tus").longInteger("expire_s") * 1000, REQUEST_TIMEOUT_MS);
    tus.mount(router);
    router.get("/api/v1/tasks").handler(ctx -> forward(ctx, Addresses.TASKS_LIST, Requests.integers(ctx,
        Requests.query(ctx, "cursor").mergeIn(Requests.query(ctx, "status")).mergeIn(Requests.query(ctx, "kind")), "limit"), 200));
    router.get("/api/v1/tasks/:id").handler(ctx -> forward(ctx, Addresses.TASKS_GET, idBody(ctx), 200));
    router.post("/api/v1/tasks/:id/cancel").handler(ctx -> forward(ctx, Addresses.TASKS_CANCEL, idBody(ctx), 200));
    router.get("/api/v1/tasks/:id/deliveries").handler(ctx -> forward(ctx, Addresses.WEBHOOKS_DELIVERIES,
        new JsonObject().put("task_id", Requests.pathId(ctx, "id")), 200));
    router.post("/api/v1/tasks/:id/retry").handler(ctx -> forward(ctx, Addresses.TASKS_RETRY, idBody(ctx), 202));
    router.delete("/api/v1/documents/:id").handler(this::deleteDocument);
    router.post("/search/hybrid").handler(json).handler(ctx -> forward(ctx, Addresses.SEARCH_HYBRID, Requests.jsonBody(ctx), 200));
    router.post("/heartbeat").handler(ctx -> forward(ctx, Addresses.LIFECYCLE_HEARTBEAT, new JsonObject(), 200));
    router.post("/shutdown").handler(ctx -> forward(ctx, Addresses.LIFECYCLE_SHUTDOWN, new JsonObject(), 202));
    ChatRoutes chat = new ChatRoutes(vertx, settings.chatTimeoutMs());
    // a conversation with its history and pasted text outgrows the limit of other JSON bodies
    chat.mount(router, new JsonBody(settings.chatBodyLimitBytes()));
    new AgentRoutes(vertx, settings.agentTimeoutMs()).mount(router, json);
    new MediaRoutes(vertx, settings.mediaTimeoutMs()).mount(router, json);
    SessionRoutes sessions = new SessionRoutes(vertx, settings.sessionInputTimeoutMs());
    sessions.mount(router, json);
    long idleMs = settings.timeouts().idleMs();
    EventSocket notifications = new EventSocket(vertx, Addresses.UI_NOTIFICATIONS,
        List.of(new EventSocket.Filter("resource_id", true), new EventSocket.Filter("conversation_id", false),
            new EventSocket.Filter("task_id", true)), false, idleMs);
    EventSocket chatEvents = new EventSocket(vertx, Addresses.UI_CHAT,
        List.of(new EventSocket.Filter("session_id", true), new EventSocket.Filter("request_id", false)), true, idleMs);
    router.get("/ws/notifications").handler(notifications::upgrade);
    router.get("/ws/chat").handler(chatEvents::upgrade);
    // SockJS event-bus bridge: clients may only listen, and only to the browser-facing atrium.ui.* addresses
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.UI_PREFIX_REGEX))));
    router.route().failureHandler(HttpErrors::handle);
    router.errorHandler(404, HttpErrors::handle);
    router.errorHandler(405, HttpErrors::handle);

    HttpServerOptions options = settings.serverOptions();
    ConnectionDeadlines deadlines = new ConnectionDeadlines(vertx, settings.timeouts());
    return Future.all(List.of(notifications.start(), chatEvents.start(), chat.start(), sessions.start(), tus.start()))
        .compose(v -> UploadLeftovers.sweep(vertx, settings.uploadsTmpDir()))
        .compose(v -> {
          deadlines.start();
          return vertx.createHttpServer(options).connectionHandler(deadlines::opened)
              .requestHandler(deadlines.watching(router)).listen();
        })
        .onSuccess(listening -> {
          server = listening;
          vertx.sharedData().getLocalMap("atrium").put("http.port", listening.actualPort());
          LOG.info("atrium listening on http://{}:{}{}", options.getHost(), listening.actualPort(),
              access.required() ? " (API token required)" : "");
          if (access.insecure()) {
            LOG.warn("atrium is serving http://{}:{} WITHOUT authentication (http.insecure_no_auth: true): anyone "
                + "who can reach this port can read every document and use the provider keys", options.getHost(),
                listening.actualPort());
          }
        });
  }

  private void notifyIngest(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    JsonObject request = new JsonObject()
        .put("source_type", Requests.oneOf(body, "source_type", SOURCE_TYPES))
        .put("id", Requests.positiveLong(body, "id"))
        .put("action", Requests.oneOf(body, "action", ACTIONS));
    forward(ctx, Addresses.INGEST_NOTIFY, request, 200);
  }

  private void deleteDocument(RoutingContext ctx) {
    Bus.request(vertx, Addresses.INGEST_DELETE, idBody(ctx), REQUEST_TIMEOUT_MS)
        .onSuccess(deleted -> {
          if (deleted.getBoolean("existed", false)) {
            ok(ctx, 200, new JsonObject().put("resource_id", deleted.getLong("resource_id")).put("deleted", true));
          } else {
            ctx.fail(new HttpErrors.NotFound("resource " + deleted.getLong("resource_id") + " does not exist", "id"));
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * A ticket that opens one WebSocket or bridge connection within {@code http.ticket_ttl_s}: asked with the bearer
   * token right before connecting, so the token itself never goes into a URL (a ticket cannot ask for another:
   * {@link Authentication} takes tickets only where a socket opens).
   */
  private void issueTicket(RoutingContext ctx) {
    ok(ctx, 201, access.issueTicket(ctx.get(Authentication.TOKEN_NAME)));
  }

  private static JsonObject idBody(RoutingContext ctx) {
    return new JsonObject().put("id", Requests.pathId(ctx, "id"));
  }

  /**
   * Seed 001's {status, version} (also served as seed 004's {@code GET /api/v1/health}), whether an API token is
   * required (and each token's use, by name), {@code dependencies}: each part atrium depends on — the store's writer
   * and readers, the embedder, search, the parser — with its state and how long it took to answer, and the details of
   * those that can lag behind or lack something: search (which engine answers, Lucene rebuilding), OCR
   * ({@code ocr}: available, unavailable or off, and {@code ocr_missing_languages}), coding-agent sessions (each CLI
   * found or not, runs going). status is "degraded" when a part does not answer within a second (it is named with
   * its error); HTTP 200 either way, since atrium itself is up.
   */
  private void health(RoutingContext ctx) {
    JsonObject health = new JsonObject().put("status", "ok").put("version", settings.version())
        .put("auth", access.describe());
    JsonObject dependencies = new JsonObject();
    Future<JsonObject> search = probe(health, dependencies, "search", Addresses.SEARCH_STATUS)
        .recover(e -> Future.succeededFuture(new JsonObject().put("error", e.getMessage())));
    Future<JsonObject> parse = probe(health, dependencies, "parser", Addresses.PARSE_STATUS)
        .recover(e -> Future.succeededFuture(new JsonObject().put("ocr", "unknown")));
    Future<JsonObject> sessions = probe(health, dependencies, "sessions", Addresses.SESSIONS_STATUS)
        .recover(e -> Future.succeededFuture(new JsonObject().put("error", e.getMessage())));
    Future<JsonObject> store = probe(health, dependencies, "store", Addresses.STORE_PING).otherwiseEmpty();
    Future<JsonObject> readers = probe(health, dependencies, "store_readers", Addresses.STORE_READ_PING).otherwiseEmpty();
    Future<JsonObject> embedder = probe(health, dependencies, "embedder", Addresses.EMBED_INFO)
        .onSuccess(info -> dependencies.getJsonObject("embedder").put("model", info.getString("model")))
        .otherwiseEmpty();
    Future.join(List.of(search, parse, sessions, store, readers, embedder))
        .onComplete(v -> ok(ctx, 200, health.put("dependencies", dependencies).put("search", search.result())
            .put("sessions", sessions.result()).mergeIn(parse.result())));
  }

  /** Asks one part and notes in {@code dependencies} whether and how fast it answered; a part that did not, degrades. */
  private Future<JsonObject> probe(JsonObject health, JsonObject dependencies, String name, String address) {
    long start = System.nanoTime();
    return Bus.request(vertx, address, new JsonObject(), HEALTH_TIMEOUT_MS)
        .onSuccess(reply -> dependencies.put(name, new JsonObject().put("status", "ok")
            .put("latency_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0)))
        .onFailure(e -> {
          health.put("status", "degraded");
          dependencies.put(name, new JsonObject().put("status", "down").put("error", e.getMessage())
              .put("latency_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0));
        });
  }

  private void forward(RoutingContext ctx, String address, JsonObject body, int status) {
    forward(vertx, ctx, address, body, status, REQUEST_TIMEOUT_MS);
  }

  static void forward(Vertx vertx, RoutingContext ctx, String address, JsonObject body, int status,
      long timeoutMs) {
    Bus.request(vertx, address, body, timeoutMs).onSuccess(reply -> ok(ctx, status, reply)).onFailure(ctx::fail);
  }

  static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
