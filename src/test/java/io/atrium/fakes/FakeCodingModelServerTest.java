package io.atrium.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.atrium.fakes.CodingClis.Run;
import io.atrium.fakes.FakeCodingModelServer.Turn;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real Claude Code and OpenCode CLIs, as child processes, against {@link FakeCodingModelServer}. */
@ExtendWith(VertxExtension.class)
class FakeCodingModelServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private FakeCodingModelServer fake;
  private WebClient client;
  private Path home;
  private Path work;
  private Path out;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws IOException {
    client = WebClient.create(vertx);
    fake = new FakeCodingModelServer(vertx);
    fake.start();
    home = Files.createDirectories(dir.resolve("home"));
    work = Files.createDirectories(dir.resolve("work"));
    out = Files.createDirectories(dir.resolve("out"));
  }

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.stop();
    }
  }

  @Test
  void claudeAnswersWithTheFakesTextAndItsResumeSendsTheEarlierTurn() {
    assumeClis();
    Run first = claude("first", "--print", "--output-format", "json", "hi");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    JsonObject result = first.json();
    assertThat(result.getString("result")).isEqualTo("Answer 1: seen 1 user turns; last: hi");
    String session = result.getString("session_id");
    assertThat(session).isNotBlank();

    Run second = claude("second", "--print", "--output-format", "json", "--resume", session, "second");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.json().getString("result")).isEqualTo("Answer 2: seen 2 user turns; last: second");
    assertThat(second.json().getString("session_id")).isEqualTo(session);
    assertThat(fake.received).anyMatch(r -> r.method().equals("HEAD") && r.path().equals("/"));
    assertThat(fake.modelRequests()).allMatch(r -> fake.key().equals(r.headers().get("x-api-key")));
  }

  @Test
  void claudeRunsTheScriptedBashCallAndSendsItsResultBack() {
    assumeClis();
    fake.then(Turn.toolUse());
    Run run = claude("tool", "--print", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
        "--allowedTools=Bash(echo:*)", "run echo"); // the = form: a separate value would swallow the prompt

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonObject> lines = run.jsonLines();
    assertThat(lines).anyMatch(line -> line.getString("type").equals("stream_event"));
    assertThat(lines).anyMatch(line -> line.getString("type").equals("assistant")
        && line.encode().contains("\"type\":\"tool_use\"") && line.encode().contains(FakeCodingModelServer.TOOL_COMMAND));
    assertThat(lines).anyMatch(line -> line.getString("type").equals("user")
        && line.encode().contains("\"type\":\"tool_result\"") && line.encode().contains("tool-ran-ok"));
    JsonObject result = lines.getLast();
    assertThat(result.getString("type")).isEqualTo("result");
    assertThat(result.getBoolean("is_error")).isFalse();
    assertThat(result.getString("result")).isEqualTo("Answer 2: seen 1 user turns; last: run echo");
    assertThat(fake.modelRequests().getLast().body().encode()).contains("tool_result", "tool-ran-ok");
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 429, 500})
  void claudeEndsWithTheProvidersErrorStatus(int status) {
    assumeClis();
    fake.then(Turn.failure(status));
    Run run = claude("error" + status, "--print", "--output-format", "json", "hi");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().getBoolean("is_error")).isTrue();
    assertThat(run.json().getInteger("api_error_status")).isEqualTo(status);
  }

  @Test
  void claudeWithAWrongKeyIsRefusedByTheFake() {
    assumeClis();
    Map<String, String> env = CodingClis.claudeEnv(home, fake.anthropicBaseUrl(), "sk-wrong");
    Run run = CodingClis.run(work, env, out, "wrongkey", TIMEOUT,
        List.of(CodingClis.claude().toString(), "--print", "--output-format", "json", "hi"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().getInteger("api_error_status")).isEqualTo(401);
    assertThat(fake.answers.get()).isZero();
  }

  @Test
  void claudeStoppedMidStreamHangsUpOnTheFake() {
    assumeClis();
    fake.then(Turn.slow(200, 100));
    CodingClis.Started started = CodingClis.start(work, claudeEnv(), out, "cancel", List.of(CodingClis.claude()
        .toString(), "--print", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "hi"));
    awaitTrue(() -> started.stdoutSoFar().contains("slow 3 "), "third slow delta on stdout");

    started.process().destroy(); // SIGTERM
    Run run = CodingClis.await(started, TIMEOUT);

    assertThat(run.exitCode()).isEqualTo(143);
    assertThat(run.stdout()).doesNotContain("\"type\":\"result\"");
    awaitTrue(() -> fake.clientHangUps.get() == 1, "the fake sees the stream closed");
  }

  @Test
  void claudeGivesUpOnAHangingRequestAfterItsApiTimeout() {
    assumeClis();
    fake.then(Turn.hang());
    Map<String, String> env = claudeEnv();
    env.put("API_TIMEOUT_MS", "2000");
    Run run = CodingClis.run(work, env, out, "hang", TIMEOUT,
        List.of(CodingClis.claude().toString(), "--print", "--output-format", "json", "hi"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().getString("result")).isEqualTo("Request timed out");
    awaitTrue(() -> fake.clientHangUps.get() == 1, "the fake sees the request abandoned");
  }

  @Test
  void opencodeAnswersWithTheFakesTextAndItsSessionContinuesWithTheEarlierTurn() {
    assumeClis();
    Run first = opencode("first", "hi");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    JsonObject text = firstOfType(first, "text");
    assertThat(text.getJsonObject("part").getString("text")).isEqualTo("Answer 1: seen 1 user turns; last: hi");
    String session = text.getString("sessionID");

    Run second = opencode("second", "--session", session, "second");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(firstOfType(second, "text").getJsonObject("part").getString("text"))
        .isEqualTo("Answer 2: seen 2 user turns; last: second");
    assertThat(fake.modelRequests()).allMatch(r -> ("Bearer " + fake.key()).equals(r.headers().get("authorization")));
  }

  @Test
  void opencodeRunsTheScriptedBashCall() {
    assumeClis();
    fake.then(Turn.toolUse());
    Run run = opencode("tool", "run-echo");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonObject tool = firstOfType(run, "tool_use").getJsonObject("part");
    assertThat(tool.getString("tool")).isEqualTo("bash");
    assertThat(tool.getJsonObject("state").getString("output")).contains("tool-ran-ok");
    assertThat(firstOfType(run, "text").getJsonObject("part").getString("text")).startsWith("Answer 2: seen 1");
  }

  @Test
  void unstreamedRequestsGetTheWholeAnswerInEachWireFormat() {
    JsonObject user = new JsonObject().put("role", "user").put("content", "hi");
    JsonObject request = new JsonObject().put("model", "m").put("messages", new JsonArray().add(user));

    JsonObject message = client.postAbs(fake.anthropicBaseUrl() + "/v1/messages?beta=true")
        .putHeader("x-api-key", fake.key()).putHeader("anthropic-version", "2023-06-01")
        .sendJsonObject(request).expecting(HttpResponseExpectation.SC_OK).await().bodyAsJsonObject();
    JsonObject completion = client.postAbs(fake.openAiBaseUrl() + "/chat/completions")
        .putHeader("authorization", "Bearer " + fake.key())
        .sendJsonObject(request).expecting(HttpResponseExpectation.SC_OK).await().bodyAsJsonObject();

    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("Answer 1: seen 1 user turns; last: hi");
    assertThat(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("Answer 2: seen 1 user turns; last: hi");
  }

  @Test
  void refusalsCarryTheProvidersOwnBodiesAndTheSideRoutesAnswer() {
    HttpResponse<Buffer> refused = client.postAbs(fake.anthropicBaseUrl() + "/v1/messages")
        .putHeader("x-api-key", "sk-wrong").sendJsonObject(new JsonObject()).await();
    fake.then(Turn.failure(429));
    HttpResponse<Buffer> limited = client.postAbs(fake.openAiBaseUrl() + "/chat/completions")
        .putHeader("authorization", "Bearer " + fake.key()).sendJsonObject(new JsonObject()).await();
    HttpResponse<Buffer> probe = client.headAbs(fake.anthropicBaseUrl() + "/").send().await();
    JsonObject tokens = client.postAbs(fake.anthropicBaseUrl() + "/v1/messages/count_tokens?beta=true")
        .putHeader("x-api-key", fake.key()).sendJsonObject(new JsonObject().put("messages", new JsonArray()))
        .await().bodyAsJsonObject();
    JsonObject models = client.getAbs(fake.openAiBaseUrl() + "/models")
        .putHeader("authorization", "Bearer " + fake.key()).send().await().bodyAsJsonObject();

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error")).isEqualTo(new JsonObject()
        .put("type", "authentication_error").put("message", "invalid x-api-key"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("retry-after")).isEqualTo("1");
    assertThat(limited.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(probe.statusCode()).isEqualTo(404);
    assertThat(tokens.getInteger("input_tokens")).isPositive();
    assertThat(models.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("fake-model");
    assertThat(fake.received).hasSize(5);
  }

  private static void assumeClis() {
    assumeTrue(CodingClis.available(), "coding CLIs not installed under " + CodingClis.binDir());
  }

  private Map<String, String> claudeEnv() {
    return CodingClis.claudeEnv(home, fake.anthropicBaseUrl(), fake.key());
  }

  private Run claude(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(CodingClis.claude().toString()));
    command.addAll(List.of(args));
    return CodingClis.run(work, claudeEnv(), out, name, TIMEOUT, command);
  }

  /** Prompts without spaces: OpenCode quotes a message argument that has one ("a b" reaches the model as "\"a b\""). */
  private Run opencode(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(CodingClis.opencode().toString(), "run", "--format", "json",
        "-m", CodingClis.OPENCODE_MODEL));
    command.addAll(List.of(args));
    Map<String, String> env = CodingClis.opencodeEnv(home, fake.openAiBaseUrl(), fake.key());
    return CodingClis.run(work, env, out, name, TIMEOUT, command);
  }

  private static JsonObject firstOfType(Run run, String type) {
    return run.jsonLines().stream().filter(line -> type.equals(line.getString("type"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event in: " + run.stdout() + run.stderr()));
  }

  /** Polls to a deadline: the CLI's output and the fake's counters have no event to await. */
  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
