package io.atrium.app;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads conf/atrium.yaml (sections of flat keys) and applies {@code ATRIUM_<SECTION>_<KEY>} environment overrides,
 * converting each override to the type of the value it replaces.
 */
public final class AtriumConfig {
  private static final String ENV_PREFIX = "ATRIUM_";

  private AtriumConfig() {
  }

  /** The defaults shipped inside the jar, then the file if given, then the environment. */
  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject config = defaults();
    if (file != null && Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        config = merge(config, readYaml(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return applyEnv(config, env);
  }

  /** The base layer alone: conf/atrium.yaml as shipped in the jar, the one home of every default. */
  public static JsonObject defaults() {
    try (InputStream in = AtriumConfig.class.getResourceAsStream("/atrium.yaml")) {
      if (in == null) {
        throw new IllegalStateException("atrium.yaml (the built-in defaults) is missing from the classpath");
      }
      return readYaml(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in atrium.yaml", e);
    }
  }

  static JsonObject readYaml(InputStream in) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("configuration must be a mapping of sections");
    }
    @SuppressWarnings("unchecked")
    JsonObject json = new JsonObject((Map<String, Object>) map);
    return new JsonObject(json.encode());
  }

  static JsonObject merge(JsonObject base, JsonObject overlay) {
    JsonObject result = base.copy();
    for (String section : overlay.fieldNames()) {
      Object value = overlay.getValue(section);
      if (value instanceof JsonObject sectionValues && result.getValue(section) instanceof JsonObject existing) {
        result.put(section, existing.copy().mergeIn(sectionValues));
      } else {
        result.put(section, value);
      }
    }
    return result;
  }

  static JsonObject applyEnv(JsonObject config, Map<String, String> env) {
    JsonObject result = config.copy();
    env.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX)) {
        return;
      }
      String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
      int split = rest.indexOf('_');
      if (split <= 0) {
        return;
      }
      String section = rest.substring(0, split);
      String key = rest.substring(split + 1);
      JsonObject sectionValues = result.getJsonObject(section);
      if (sectionValues == null) {
        sectionValues = new JsonObject();
        result.put(section, sectionValues);
      }
      sectionValues.put(key, typed(sectionValues.getValue(key), value, name));
    });
    return result;
  }

  private static Object typed(Object current, String text, String name) {
    try {
      if (current instanceof Integer) {
        return Integer.parseInt(text.trim());
      }
      if (current instanceof Long) {
        return Long.parseLong(text.trim());
      }
      if (current instanceof Double || current instanceof Float) {
        return Double.parseDouble(text.trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
    }
    if (current instanceof Boolean) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException(name + " must be true or false, got '" + text + "'");
      };
    }
    return text;
  }
}
