package io.atrium.sessions;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One coding-agent CLI behind the sessions API (seed 001's worker): how a turn is started or continued, how its
 * output lines become atrium's events, and where the CLI keeps the session's own history for sync. Implementations
 * are stateless; a turn's state lives in its {@link TurnOutput}.
 */
interface CodingCli {
  /** The worker type, as stored in {@code workers.type}. */
  String type();

  /** The setting that names the program ({@code sessions.claude_command}), for errors that say how to fix it. */
  String programSetting();

  /**
   * The command line of one turn: a new session when {@code rawConversationId} is null (start), else that session
   * continued (resume). {@code params} are the worker's command_params, placed before the input.
   */
  List<String> command(String program, List<String> params, String rawConversationId, String input);

  /** Reads one line the CLI printed (a JSON object) into the turn: events to publish, session id, result, error. */
  void read(JsonObject line, TurnOutput turn);

  /**
   * Where this CLI keeps the session's history, or null when it has none on disk: {@code env} is the worker's
   * environment (its HOME decides where the CLI wrote), {@code claudeHome} the configured override.
   */
  Path transcript(Map<String, String> env, Path claudeHome, Path projectPath, String rawConversationId);

  /** Where the worker's provider key is set, for the error that says the provider refused it. */
  String keyVariable();

  /** The process has exited with {@code exitCode}: a CLI without a result line settles the turn here. */
  default void ended(TurnOutput turn, int exitCode) {
  }

  /**
   * For a CLI whose history is not a file ({@link #transcript} null): the command that prints the session as JSON,
   * or null when there is none.
   */
  default List<String> exportCommand(String program, String rawConversationId) {
    return null;
  }
}
