package io.atrium.e2e;

import static io.atrium.e2e.BadRequestsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI that misbehaves — prints no JSON, dies, prints a monstrous line — is a stand-in shell script here (the
 * worker's env picks its behaviour): each ends the input with a clear error, or still with its answer, never a hang.
 */
@ExtendWith({VertxExtension.class, NoBlockedThreads.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliFailuresTest {
  static final String RESULT = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"fine\","
      + "\"session_id\":\"5b1c8a44-1c1e-4a8e-9d2f-000000000001\"}";

  AtriumHarness atrium;
  Path project;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    project = Files.createDirectories(dir.resolve("projects/app"));
    Path cli = dir.resolve("fake-claude");
    Files.writeString(cli, """
        #!/bin/sh
        cat > /dev/null
        case "$BEHAVIOUR" in
          dies) echo 'not json at all'; echo 'boom: the CLI crashed' >&2; exit 3 ;;
          long) head -c 300000 /dev/zero | tr '\\0' 'x'; echo; echo '%s' ;;
          *) echo '%s' ;;
        esac
        """.formatted(RESULT, RESULT));
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
    atrium = new AtriumHarness(vertx, dir.resolve("data")).start(Map.of(
        "ATRIUM_SESSIONS_ALLOWED_ROOTS", dir.resolve("projects").toString(),
        "ATRIUM_SESSIONS_CLAUDE_COMMAND", cli.toString(),
        "ATRIUM_SESSIONS_MAX_LINE_KB", "64"));
  }

  @AfterAll
  void stop() {
    atrium.stop();
  }

  @Test
  void aCliThatDiesWithoutAnAnswerIsA502WithTheEndOfItsStderr() {
    HttpResponse<Buffer> died = run("dies");
    assertError(died, 502, null);
    assertThat(died.bodyAsString()).contains("exited with code 3").contains("boom: the CLI crashed")
        .contains("not JSON");
  }

  @Test
  void aLineOverTheLimitIsSkippedAndTheAnswerStillArrives() {
    HttpResponse<Buffer> answered = run("long");
    assertThat(answered.statusCode()).as(answered.bodyAsString()).isEqualTo(200);
    assertThat(answered.bodyAsJsonObject().getJsonObject("result").getString("text")).isEqualTo("fine");
  }

  private HttpResponse<Buffer> run(String behaviour) {
    String worker = "script-" + behaviour;
    assertThat(atrium.post("/api/v1/workers", new JsonObject().put("worker_name", worker)
        .put("env_vars", new JsonObject().put("BEHAVIOUR", behaviour))).statusCode()).isEqualTo(201);
    String id = atrium.post("/api/v1/conversations", new JsonObject().put("worker_name", worker)
        .put("project_path", project.toString())).bodyAsJsonObject().getString("id");
    return atrium.post("/api/v1/conversations/" + id, new JsonObject().put("content", "hello"));
  }
}
