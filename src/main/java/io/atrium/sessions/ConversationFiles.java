package io.atrium.sessions;

import io.atrium.bus.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a conversation's files are, and which project folders a conversation may run in. */
final class ConversationFiles {
  private ConversationFiles() {
  }

  /** Seed 001's layout: {@code <dir>/{worker_name}/{id[:2]}/{id}.input.jsonl}. */
  static Path inputs(Path conversationsDir, String workerName, String conversationId) {
    return conversationsDir.resolve(workerName).resolve(conversationId.substring(0, 2))
        .resolve(conversationId + ".input.jsonl");
  }

  /** atrium's copy of the conversation's synced transcript lines, beside its inputs ({@link MessageLog}). */
  static Path messages(Path conversationsDir, String workerName, String conversationId) {
    return conversationsDir.resolve(workerName).resolve(conversationId.substring(0, 2))
        .resolve(conversationId + ".messages.jsonl");
  }

  /**
   * The project folder as its real path (symbolic links resolved, so a link cannot lead outside the roots): it must
   * exist, be a directory and lie under one of {@code allowedRoots}. Blocking (file checks).
   */
  static Path project(String projectPath, List<Path> allowedRoots) {
    Path given = Path.of(projectPath);
    if (!given.isAbsolute()) {
      throw ErrorCode.INVALID_REQUEST.exception("project_path must be an absolute path", "project_path");
    }
    if (!Files.exists(given)) {
      throw ErrorCode.INVALID_REQUEST.exception("project_path " + projectPath + " does not exist", "project_path");
    }
    if (!Files.isDirectory(given)) {
      throw ErrorCode.INVALID_REQUEST.exception("project_path " + projectPath + " is not a directory", "project_path");
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException e) {
      throw ErrorCode.INVALID_REQUEST.exception("project_path " + projectPath + " cannot be read: " + e.getMessage(),
          "project_path");
    }
    for (Path root : allowedRoots) {
      Path realRoot = realOr(root);
      if (real.startsWith(realRoot)) {
        return real;
      }
    }
    throw ErrorCode.FORBIDDEN.exception("project_path " + projectPath + " is outside the allowed folders "
        + allowedRoots + " (sessions.allowed_roots)", "project_path");
  }

  private static Path realOr(Path root) {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      return root.toAbsolutePath().normalize();
    }
  }
}
