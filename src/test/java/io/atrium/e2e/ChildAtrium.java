package io.atrium.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** atrium as a separate JVM (io.atrium.app.Main), so a test can kill it for real or watch it exit. */
final class ChildAtrium {
  final Process process;
  final int port;
  final Path dataDir;
  final Path log;

  private ChildAtrium(Process process, int port, Path dataDir, Path log) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.log = log;
  }

  static ChildAtrium start(Path dataDir, Map<String, String> env, Path log) throws IOException {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    // Surefire's class path (a manifest-only jar when forked) carries atrium and all its dependencies; no file is
    // named, so the child reads the project's conf/atrium.yaml: the shipped defaults
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.atrium.app.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ATRIUM_DATA_DIR", dataDir.toString());
    builder.environment().put("ATRIUM_HTTP_PORT", String.valueOf(port));
    builder.environment().putAll(AtriumHarness.withTestToken(env));
    return new ChildAtrium(builder.start(), port, dataDir, log);
  }

  /**
   * Waits until /health answers 200: another process announces nothing on this JVM's bus, so its /health is polled
   * (the one kind of wait that polls); its exit ends the wait at once. Fails after 90 s, showing its log.
   */
  void awaitHealthy(Vertx vertx) {
    WebClient client = WebClient.create(vertx);
    try (EventLog ticks = EventLog.ticks(vertx, Duration.ofMillis(200))) {
      process.onExit().thenRun(() -> ticks.add(new JsonObject().put("exited", process.exitValue())));
      ticks.awaitState("atrium (pid " + process.pid() + ") to answer /health", Duration.ofSeconds(90),
          () -> health(client), status -> status == 200);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n  its log:\n" + logText(), e);
    } finally {
      client.close();
    }
  }

  /** The HTTP API of this child, for the harness's requests and waits. */
  AtriumHarness harness(Vertx vertx) {
    return AtriumHarness.remote(vertx, dataDir, port);
  }

  /** The /health status, 0 while nothing listens yet. */
  private int health(WebClient client) {
    if (!process.isAlive()) {
      throw new AssertionError("atrium exited early with " + process.exitValue());
    }
    try {
      var request = client.get(port, "127.0.0.1", "/health");
      if (AtriumHarness.TEST_TOKEN != null) {
        request.bearerTokenAuthentication(AtriumHarness.TEST_TOKEN);
      }
      return request.send().await().statusCode();
    } catch (Exception notListeningYet) { // await() rethrows the refused connection as it is, a checked exception
      return 0;
    }
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
