package io.atrium.fakes;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real coding CLIs (Claude Code, OpenCode) as test children: where they are installed, and the whole environment
 * each needs to run non-interactively against {@link FakeCodingModelServer} with a HOME of its own. The environment
 * replaces the parent's, so a developer's keys, config dirs or a surrounding CLI session never leak in.
 */
public final class CodingClis {
  /** {@code -m} for OpenCode: the provider and model {@link #opencodeEnv} configures. */
  public static final String OPENCODE_MODEL = "fake/fake-model";

  private CodingClis() {
  }

  /** {@code atrium.clis}, else {@code ATRIUM_CLIS}, else {@code ~/.cache/atrium-clis/node_modules/.bin}. */
  public static Path binDir() {
    String configured = System.getProperty("atrium.clis", System.getenv("ATRIUM_CLIS"));
    return configured != null ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "atrium-clis", "node_modules", ".bin");
  }

  public static Path claude() {
    return binDir().resolve("claude");
  }

  public static Path opencode() {
    return binDir().resolve("opencode");
  }

  /** Both CLIs are installed. */
  public static boolean available() {
    return Files.isExecutable(claude()) && Files.isExecutable(opencode());
  }

  /** Claude Code in {@code --print} mode: no onboarding there, so the key and base URL are all it needs. */
  public static Map<String, String> claudeEnv(Path home, String baseUrl, String apiKey) {
    Map<String, String> env = baseEnv(home);
    env.put("ANTHROPIC_BASE_URL", baseUrl);
    env.put("ANTHROPIC_API_KEY", apiKey);
    env.put("CLAUDE_CODE_MAX_RETRIES", "0"); // an error status ends the run at once instead of after retries
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"); // no telemetry, update or feedback calls
    return env;
  }

  /**
   * OpenCode with {@code $HOME/.config/opencode/opencode.json} written: a provider "fake" on
   * {@code @ai-sdk/openai-compatible} (bundled in the binary, nothing is installed). OpenCode still tries an npm
   * install of its plugin package into that config dir in the background; {@code npm_config_offline} keeps it off
   * the registry.
   */
  public static Map<String, String> opencodeEnv(Path home, String baseUrl, String apiKey) {
    JsonObject options = new JsonObject().put("baseURL", baseUrl).put("apiKey", apiKey);
    JsonObject provider = new JsonObject().put("npm", "@ai-sdk/openai-compatible").put("name", "Fake local")
        .put("options", options)
        .put("models", new JsonObject().put("fake-model", new JsonObject().put("name", "Fake Model")));
    JsonObject config = new JsonObject().put("$schema", "https://opencode.ai/config.json").put("autoupdate", false)
        .put("share", "disabled").put("provider", new JsonObject().put("fake", provider))
        .put("model", OPENCODE_MODEL);
    write(home.resolve(".config/opencode/opencode.json"), config.encodePrettily());
    Map<String, String> env = baseEnv(home);
    env.put("OPENCODE_DISABLE_MODELS_FETCH", "1");
    env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
    env.put("OPENCODE_DISABLE_LSP_DOWNLOAD", "1");
    env.put("npm_config_offline", "true");
    return env;
  }

  /** TMPDIR inside HOME too: Claude Code keeps per-session task files under {@code $TMPDIR/claude-<uid>/}. */
  private static Map<String, String> baseEnv(Path home) {
    Path tmp = home.resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put("TMPDIR", tmp.toString());
    return env;
  }

  /** A child started with stdin from /dev/null and its output going to files. */
  public record Started(Process process, Path stdout, Path stderr, long startedNanos) {
    public String stdoutSoFar() {
      return read(stdout);
    }
  }

  /** A finished (or, timed out, killed) run. */
  public record Run(int exitCode, boolean timedOut, String stdout, String stderr, Duration took) {
    public JsonObject json() {
      return new JsonObject(stdout.strip());
    }

    /** stdout as JSON lines ({@code stream-json}, {@code --format json}). */
    public List<JsonObject> jsonLines() {
      List<JsonObject> lines = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (line.startsWith("{")) {
          lines.add(new JsonObject(line));
        }
      }
      return lines;
    }
  }

  /** {@code outputDir} takes {@code <name>.out} and {@code <name>.err}. */
  public static Started start(Path cwd, Map<String, String> env, Path outputDir, String name, List<String> command) {
    Path stdout = outputDir.resolve(name + ".out");
    Path stderr = outputDir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectInput(new File("/dev/null")).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    try {
      return new Started(builder.start(), stdout, stderr, System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits up to {@code timeout}; past it, kills the CLI and what it started. Its tools run in sessions of their own
   * (setsid), so killing the CLI alone would leave them behind.
   */
  public static Run await(Started started, Duration timeout) {
    Process process = started.process();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.onExit().join();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started.startedNanos());
    return new Run(process.exitValue(), !finished, read(started.stdout()), read(started.stderr()), took);
  }

  public static Run run(Path cwd, Map<String, String> env, Path outputDir, String name, Duration timeout,
      List<String> command) {
    return await(start(cwd, env, outputDir, name, command), timeout);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
