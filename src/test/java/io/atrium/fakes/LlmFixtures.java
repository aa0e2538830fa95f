package io.atrium.fakes;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Recorded provider traffic from {@code ../shared/data/llm-fixtures}: pydantic-ai's VCR cassettes (real OpenAI,
 * Anthropic and Gemini answers, whole and streamed), Firebase's Gemini mock responses (recorded error bodies) and
 * the documented error shapes. Read in place, never copied into the repository.
 */
public final class LlmFixtures {
  public static final Path ROOT = Path.of(System.getProperty("atrium.shared", "../shared"))
      .toAbsolutePath().normalize().resolve("data/llm-fixtures");

  private LlmFixtures() {
  }

  /** The response of interaction {@code index} of a cassette: its status, and parsed_body (JSON) or body.string. */
  public record Recorded(int status, String body) {
  }

  private static final Map<String, Recorded> CASSETTES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Parsed once per JVM: the fake answers from memory, so its own cost stays small in benchmarks. */
  public static Recorded cassette(String relative, int index) {
    return CASSETTES.computeIfAbsent(relative + "#" + index, key -> readCassette(relative, index));
  }

  @SuppressWarnings("unchecked")
  private static Recorded readCassette(String relative, int index) {
    Map<String, Object> tree = yaml(ROOT.resolve("pydantic-ai-vcr-cassettes").resolve(relative));
    Map<String, Object> response = (Map<String, Object>) ((Map<String, Object>)
        ((List<Object>) tree.get("interactions")).get(index)).get("response");
    int status = (Integer) ((Map<String, Object>) response.get("status")).get("code");
    if (response.get("parsed_body") instanceof Map<?, ?> parsed) {
      return new Recorded(status, new JsonObject((Map<String, Object>) parsed).encode());
    }
    return new Recorded(status, (String) ((Map<String, Object>) response.get("body")).get("string"));
  }

  /** A Firebase Gemini mock response ({@code googleai/…} or {@code vertexai/…}). */
  public static String gemini(String relative) {
    return TEXTS.computeIfAbsent(relative, key -> read(ROOT.resolve("gemini-firebase-vertexai-sdk-test-data/mock-responses").resolve(relative)));
  }

  private static final Map<String, String> TEXTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A documented error body of errors-documented.json: provider → status. */
  public static JsonObject documentedError(String provider, String status) {
    return new JsonObject(read(ROOT.resolve("errors-documented.json"))).getJsonObject(provider).getJsonObject(status);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("fixture missing: " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("fixture missing: " + file, e);
    }
  }
}
