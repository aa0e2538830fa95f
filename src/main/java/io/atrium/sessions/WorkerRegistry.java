package io.atrium.sessions;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worker types (seed 001's registry: {@code claudecode}, the default, and {@code opencode}), the checks of a
 * worker's definition, how its env values are shown (masked, never in full), and where its program is found.
 */
final class WorkerRegistry {
  static final Pattern NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$");
  static final String DEFAULT_TYPE = "claudecode";
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
  private static final int MAX_ENV_VARS = 100;
  private static final int MAX_PARAMS = 100;
  private static final int MAX_VALUE_CHARS = 32 * 1024;

  private final Map<String, CodingCli> types = new LinkedHashMap<>();
  private final Map<String, String> programs;

  WorkerRegistry(List<CodingCli> clis, Map<String, String> programs) {
    clis.forEach(cli -> types.put(cli.type(), cli));
    this.programs = programs;
  }

  JsonObject typesJson() {
    return new JsonObject().put("types", new JsonArray(List.copyOf(types.keySet()))).put("default", DEFAULT_TYPE);
  }

  java.util.Collection<CodingCli> clis() {
    return types.values();
  }

  CodingCli cli(String type) {
    CodingCli cli = types.get(type);
    if (cli == null) {
      throw ErrorCode.INVALID_REQUEST.exception("unknown worker type '" + type + "'; known: " + types.keySet(), "type");
    }
    return cli;
  }

  static String name(JsonObject body) {
    Object value = body.getValue("worker_name");
    if (!(value instanceof String name) || !NAME.matcher(name).matches()) {
      throw ErrorCode.INVALID_REQUEST.exception("worker_name must match " + NAME.pattern()
          + " (a letter, then up to 63 letters, digits, '_' or '-')", "worker_name");
    }
    return name;
  }

  /** A create request checked and normalised: {worker_name, type, env_vars, command_params}. */
  JsonObject definition(JsonObject body) {
    String name = name(body);
    String type = body.getValue("type") == null ? DEFAULT_TYPE : Fields.text(body, "type", 64, true);
    cli(type);
    Object env = body.getValue("env_vars", new JsonObject());
    if (!(env instanceof JsonObject vars) || vars.size() > MAX_ENV_VARS) {
      throw ErrorCode.INVALID_REQUEST.exception("env_vars must be an object of at most " + MAX_ENV_VARS
          + " names and string values", "env_vars");
    }
    for (Map.Entry<String, Object> entry : vars) {
      if (!ENV_NAME.matcher(entry.getKey()).matches()) {
        throw ErrorCode.INVALID_REQUEST.exception("env_vars name '" + abbreviate(entry.getKey())
            + "' is not a variable name (letters, digits, '_')", "env_vars");
      }
      if (!(entry.getValue() instanceof String text) || text.length() > MAX_VALUE_CHARS || text.indexOf('\0') >= 0) {
        throw ErrorCode.INVALID_REQUEST.exception("env_vars." + entry.getKey() + " must be a string of at most "
            + MAX_VALUE_CHARS + " characters", "env_vars");
      }
    }
    Object params = body.getValue("command_params", new JsonArray());
    if (!(params instanceof JsonArray list) || list.size() > MAX_PARAMS) {
      throw ErrorCode.INVALID_REQUEST.exception("command_params must be a list of at most " + MAX_PARAMS + " strings",
          "command_params");
    }
    for (Object param : list) {
      if (!(param instanceof String text) || text.length() > MAX_VALUE_CHARS || text.indexOf('\0') >= 0) {
        throw ErrorCode.INVALID_REQUEST.exception("command_params must be a list of strings", "command_params");
      }
    }
    return new JsonObject().put("worker_name", name).put("type", type).put("env_vars", vars)
        .put("command_params", list);
  }

  /** A worker row's env_vars as the child's environment takes them. */
  static Map<String, String> env(JsonObject worker) {
    Map<String, String> env = new java.util.HashMap<>();
    worker.getJsonObject("env_vars", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    return env;
  }

  /** A worker row as clients see it: env values masked, so a key is never returned (or logged) in full. */
  static JsonObject shown(JsonObject row) {
    JsonObject masked = new JsonObject();
    row.getJsonObject("env_vars", new JsonObject()).forEach(e -> masked.put(e.getKey(), mask(String.valueOf(e.getValue()))));
    return row.copy().put("env_vars", masked);
  }

  static String mask(String value) {
    return value.length() >= 12 ? value.substring(0, 3) + "…" + value.substring(value.length() - 2) + " (masked)" : "(masked)";
  }

  /**
   * The program of {@code cli} as configured, found the way the child will be started: a path must be executable;
   * a bare name is looked up on the worker's PATH, else atrium's. Null when it cannot be found. Blocking (file checks).
   */
  String findProgram(CodingCli cli, Map<String, String> env) {
    String program = programs.get(cli.type());
    if (program.contains(File.separator)) {
      return Files.isExecutable(Path.of(program)) ? program : null;
    }
    String path = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank() && Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program).toString();
      }
    }
    return null;
  }

  String configuredProgram(CodingCli cli) {
    return programs.get(cli.type());
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
