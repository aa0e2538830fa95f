package io.atrium.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** atrium as a separate JVM (io.atrium.app.Main), so a test can kill it for real or watch it exit. */
final class ChildAtrium {
  final Process process;
  final int port;
  final Path log;

  private ChildAtrium(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ChildAtrium start(Path dataDir, Map<String, String> env, Path log) throws IOException {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    // Surefire's class path (a manifest-only jar when forked) carries atrium and all its dependencies.
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.atrium.app.Main", "/nonexistent-config.yaml"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ATRIUM_DATA_DIR", dataDir.toString());
    builder.environment().put("ATRIUM_HTTP_PORT", String.valueOf(port));
    builder.environment().putAll(env);
    return new ChildAtrium(builder.start(), port, log);
  }

  /** Waits until /health answers 200 (fails if the process exits first or 90 s pass), showing its log on failure. */
  void awaitHealthy(io.vertx.ext.web.client.WebClient client) throws IOException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("atrium exited early: " + java.nio.file.Files.readString(log));
      }
      try {
        if (client.get(port, "127.0.0.1", "/health").send().await().statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      AtriumHarness.sleep(200);
    }
    throw new AssertionError("atrium did not become healthy: " + java.nio.file.Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
