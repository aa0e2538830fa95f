package io.atrium.app;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads conf/atrium.yaml (sections of flat keys) and applies {@code ATRIUM_<SECTION>_<KEY>} environment overrides,
 * converting each override to the type of the value it replaces. Only the settings the base layer defines exist:
 * an unknown section or key, in a file or the environment, or a value of the wrong type stops the start with an
 * {@link IllegalArgumentException} naming it (and the nearest known name), all of them in one message.
 */
public final class AtriumConfig {

  private AtriumConfig() {
  }

  /** The defaults shipped inside the jar, then {@code file} if not null (it must exist), then the environment. */
  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject base = defaults();
    KnownSettings known = new KnownSettings(base);
    JsonObject config = base;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("the configuration file " + file + " does not exist");
      }
      JsonObject layer;
      try (InputStream in = Files.newInputStream(file)) {
        layer = readYaml(in, file.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
      }
      KnownSettings.refuse(known.problemsOf(layer, file.toString()));
      config = merge(config, layer);
    }
    return applyEnv(config, env, known);
  }

  /** The base layer alone: conf/atrium.yaml as shipped in the jar, the one home of every default. */
  public static JsonObject defaults() {
    try (InputStream in = AtriumConfig.class.getResourceAsStream("/atrium.yaml")) {
      if (in == null) {
        throw new IllegalStateException("atrium.yaml (the built-in defaults) is missing from the classpath");
      }
      return readYaml(in, "the built-in atrium.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in atrium.yaml", e);
    }
  }

  static JsonObject readYaml(InputStream in, String source) {
    Object tree;
    try {
      tree = new Yaml(new TextDates(new LoaderOptions())).load(in);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      throw new IllegalArgumentException(source + " is not valid YAML: " + e.getProblem()
          + (mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"));
    } catch (YAMLException e) {
      throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
    }
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(source + " must be a mapping of sections");
    }
    @SuppressWarnings("unchecked")
    JsonObject json = new JsonObject((Map<String, Object>) map);
    return new JsonObject(json.encode());
  }

  /** YAML's dates stay the text they are written as: no setting is a date, and anthropic_version looks like one. */
  private static final class TextDates extends SafeConstructor {
    TextDates(LoaderOptions options) {
      super(options);
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }
  }

  static JsonObject merge(JsonObject base, JsonObject overlay) {
    JsonObject result = base.copy();
    for (String section : overlay.fieldNames()) {
      Object value = overlay.getValue(section);
      if (value instanceof JsonObject sectionValues && result.getValue(section) instanceof JsonObject existing) {
        result.put(section, existing.copy().mergeIn(sectionValues));
      } else if (value != null) {
        result.put(section, value);
      }
    }
    return result;
  }

  static JsonObject applyEnv(JsonObject config, Map<String, String> env, KnownSettings known) {
    JsonObject result = config.copy();
    List<String> problems = new ArrayList<>();
    new TreeMap<>(env).forEach((name, value) -> {
      if (!KnownSettings.isSettingVariable(name)) {
        return;
      }
      try {
        KnownSettings.Setting setting = known.ofVariable(name);
        result.getJsonObject(setting.section()).put(setting.key(),
            typed(known.defaultOf(setting), value, name + " (" + setting.path() + ")"));
      } catch (IllegalArgumentException refused) {
        problems.add(refused.getMessage());
      }
    });
    KnownSettings.refuse(problems);
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
      String number = current instanceof Integer || current instanceof Long ? "a whole number" : "a number";
      throw new IllegalArgumentException(name + " must be " + number + ", not '" + text + "'");
    }
    if (current instanceof Boolean) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException(name + " must be true or false, not '" + text + "'");
      };
    }
    return text;
  }
}
