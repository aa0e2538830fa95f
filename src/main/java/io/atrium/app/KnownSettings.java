package io.atrium.app;

import io.atrium.text.EditDistance;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings there are: those the base layer (conf/atrium.yaml, built into the jar) defines. Judges the layers
 * above it — a file of the user's, {@code ATRIUM_<SECTION>_<KEY>} variables — so that a misspelt name or a value of
 * the wrong type stops the start naming the key and the nearest known one, instead of being ignored.
 */
final class KnownSettings {
  static final String ENV_PREFIX = "ATRIUM_";
  /** ATRIUM_ variables that are not settings, and who reads them: they are left alone. */
  static final Set<String> NOT_SETTINGS = Set.of(
      "ATRIUM_CONFIG",       // the configuration file to start with (Main)
      "ATRIUM_SHARED",       // the shared test data folder (scripts/bench/*)
      "ATRIUM_BENCH_DATA",   // the benchmarks' data folder (test bench.BenchData)
      "ATRIUM_BENCH_CACHE"); // the benchmarks' embedding cache (test bench.ChunkCache)

  /** A setting named by an environment variable. */
  record Setting(String section, String key) {
    String path() {
      return section + "." + key;
    }
  }

  private final JsonObject base;
  /** Known names as a suggestion compares them → as it shows them. Variables: section.key, or the variable. */
  private final Map<String, String> variables = new LinkedHashMap<>();
  private final Map<String, String> paths = new LinkedHashMap<>();
  private final Map<String, String> sections = new LinkedHashMap<>();

  KnownSettings(JsonObject base) {
    this.base = base;
    for (String section : base.fieldNames()) {
      sections.put(section, section);
      for (String key : base.getJsonObject(section).fieldNames()) {
        variables.put(envName(section, key), section + "." + key);
        paths.put(section + "." + key, section + "." + key);
      }
    }
    NOT_SETTINGS.forEach(name -> variables.put(name, name));
  }

  static boolean isSettingVariable(String name) {
    return name.startsWith(ENV_PREFIX) && !NOT_SETTINGS.contains(name);
  }

  /** The setting a variable names ({@code ATRIUM_<SECTION>_<KEY>}: sections have no underscore, keys may). */
  Setting ofVariable(String name) {
    String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    int split = rest.indexOf('_');
    Setting setting = split > 0 ? new Setting(rest.substring(0, split), rest.substring(split + 1)) : null;
    if (setting == null || !(base.getValue(setting.section()) instanceof JsonObject keys)
        || !keys.containsKey(setting.key())) {
      throw new IllegalArgumentException("unknown setting " + name + suggestion(name.toUpperCase(Locale.ROOT), variables));
    }
    return setting;
  }

  Object defaultOf(Setting setting) {
    return base.getJsonObject(setting.section()).getValue(setting.key());
  }

  /** What is wrong with a layer read from {@code source}: unknown sections and keys, values of the wrong type. */
  List<String> problemsOf(JsonObject layer, String source) {
    List<String> problems = new ArrayList<>();
    for (String section : layer.fieldNames()) {
      if (!(base.getValue(section) instanceof JsonObject known)) {
        problems.add("unknown section " + section + " in " + source + suggestion(section, sections));
        continue;
      }
      if (layer.getValue(section) == null) {
        continue; // a section whose keys are all commented out
      }
      if (!(layer.getValue(section) instanceof JsonObject values)) {
        problems.add(section + " in " + source + " must be a section of keys, not '" + layer.getValue(section) + "'");
        continue;
      }
      for (String key : values.fieldNames()) {
        String path = section + "." + key;
        if (!known.containsKey(key)) {
          problems.add("unknown setting " + path + " in " + source + suggestion(path, paths));
          continue;
        }
        String expected = expectedType(known.getValue(key), values.getValue(key));
        if (expected != null) {
          problems.add(path + " in " + source + " must be " + expected + ", not '" + values.getValue(key) + "'");
        }
      }
    }
    return problems;
  }

  /** Stops the start when there is anything to say: all of it, in one line. */
  static void refuse(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * What a value given for a key must be, judged by the type of its default, or null when it fits. Text keys take
   * any scalar (a YAML {@code 1234} as a name is that text) and lists (the list-valued keys default to "").
   */
  private static String expectedType(Object defaultValue, Object value) {
    if (value == null) {
      return "given a value";
    }
    if (defaultValue instanceof Integer || defaultValue instanceof Long) {
      return value instanceof Integer || value instanceof Long ? null : "a whole number";
    }
    if (defaultValue instanceof Number) {
      return value instanceof Number ? null : "a number";
    }
    if (defaultValue instanceof Boolean) {
      return value instanceof Boolean ? null : "true or false";
    }
    return value instanceof JsonObject ? "text or a list" : null;
  }

  static String envName(String section, String key) {
    return ENV_PREFIX + section.toUpperCase(Locale.ROOT) + "_" + key.toUpperCase(Locale.ROOT);
  }

  /** " (nearest?)" for the known name closest to {@code name} by edit distance, when it is close enough. */
  private static String suggestion(String name, Map<String, String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, String> candidate : known.entrySet()) {
      int distance = EditDistance.between(name, candidate.getKey());
      if (distance < bestDistance) {
        best = candidate.getValue();
        bestDistance = distance;
      }
    }
    // a third of the name may be wrong: SERCH for SEARCH is; a name of no known setting is not matched to one
    int allowed = Math.max(2, (name.length() - (name.startsWith(ENV_PREFIX) ? ENV_PREFIX.length() : 0)) / 3);
    return best != null && bestDistance <= allowed ? " (" + best + "?)" : " (conf/atrium.yaml lists every setting)";
  }
}
