package io.atrium.ingest;

import io.atrium.bus.Addresses;
import io.atrium.bus.Bus;
import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns files the HTTP layer streamed to disk into resources: each moves (non-blocking) into its own folder under
 * the files directory, keeping a sanitised original name, then all rows are created in one store transaction.
 */
final class Uploads {
  /** Well under the 255 bytes most file systems allow in one name. */
  private static final int MAX_NAME_BYTES = 200;
  private static final int MAX_EXTENSION_CHARS = 16;

  private final Vertx vertx;
  private final Path filesDir;

  Uploads(Vertx vertx, String filesDir) {
    this.vertx = vertx;
    this.filesDir = Path.of(filesDir).toAbsolutePath().normalize();
  }

  private static final java.util.Set<String> ON_DUPLICATE = java.util.Set.of("skip", "keep", "replace");

  /**
   * → {task_id, knowledge_base_id, resources: [{resource_id, file_name, task_id, duplicate?}], documents: [{id,
   * resource_id, knowledge_base_id, file_name, size, content_hash, status, duplicate?}], replaced: [ids]}. A file the
   * base already holds (same bytes) is answered with the existing document and its new copy removed, unless
   * {@code on_duplicate} says keep (a second document) or replace (the new one in place of the old).
   */
  Future<JsonObject> register(JsonObject body) {
    JsonArray files = body.getJsonArray("files", new JsonArray());
    if (files.isEmpty()) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("no files were uploaded", "files"));
    }
    Object onDuplicate = body.getValue("on_duplicate");
    if (onDuplicate != null && !ON_DUPLICATE.contains(onDuplicate)) {
      return Future.failedFuture(ErrorCode.INVALID_REQUEST.exception("on_duplicate must be keep, replace or skip",
          "on_duplicate"));
    }
    // a callback is checked (and refused) before any file moves; the base's own callback serves when none is given
    JsonObject callback = body.getJsonObject("callback");
    Future<JsonObject> checked = callback == null ? Future.succeededFuture(null)
        : Bus.request(vertx, Addresses.WEBHOOKS_CHECK, callback, 10_000);
    // all moves of one request in one blocking step, not two worker-pool hops per file
    return checked.compose(callbackChecked -> vertx.executeBlocking(() -> moveAll(files), false).compose(stored -> {
      JsonArray described = new JsonArray();
      for (int i = 0; i < stored.size(); i++) {
        described.add(stored.getJsonObject(i).copy().put("size", files.getJsonObject(i).getLong("size"))
            .put("content_hash", files.getJsonObject(i).getString("content_hash")));
      }
      JsonObject create = new JsonObject()
          .put("files", described)
          .put("task_id", body.getLong("task_id"))
          .put("knowledge_base_id", body.getLong("knowledge_base_id"))
          .put("on_duplicate", onDuplicate)
          .put("callback", callbackChecked)
          .put("task_title", files.size() == 1 ? "Upload: " + stored.getJsonObject(0).getString("file_name")
              : "Upload of " + files.size() + " files");
      return Bus.request(vertx, Addresses.STORE_RESOURCE_CREATE, create, 30_000)
          .recover(e -> removeAll(stored).compose(v -> Future.failedFuture(e)))
          .compose(created -> removeDuplicateCopies(stored, created).map(v -> response(described, created,
              body.getLong("knowledge_base_id", 1L))));
    }));
  }

  /** The stored copies of files the base already held, and the files of documents replaced. */
  private Future<Void> removeDuplicateCopies(JsonArray stored, JsonObject created) {
    List<Future<Void>> removals = new ArrayList<>();
    created.getJsonArray("duplicates").forEach(index ->
        removals.add(removeFolderOf(stored.getJsonObject(((Number) index).intValue()).getString("file_path"))));
    created.getJsonArray("replaced").forEach(deleted -> removals.add(removeStoredFile((JsonObject) deleted)));
    return Future.join(removals).otherwiseEmpty().mapEmpty();
  }

  /** Moves each uploaded file into its own folder under the files directory; on a failure, undoes the moves made. */
  private JsonArray moveAll(JsonArray uploads) throws IOException {
    JsonArray stored = new JsonArray();
    try {
      for (int i = 0; i < uploads.size(); i++) {
        JsonObject upload = uploads.getJsonObject(i);
        String name = safeName(upload.getString("file_name"));
        Path target = filesDir.resolve(UUID.randomUUID().toString()).resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(Path.of(upload.getString("upload_path")), target);
        stored.add(new JsonObject().put("file_path", target.toString()).put("file_name", name).put("file_type", extension(name)));
      }
      return stored;
    } catch (IOException | RuntimeException e) {
      removeAll(stored);
      throw e;
    }
  }

  private static JsonObject response(JsonArray files, JsonObject created, long knowledgeBaseId) {
    JsonArray ids = created.getJsonArray("resource_ids");
    JsonArray duplicates = created.getJsonArray("duplicates");
    JsonArray resources = new JsonArray();
    JsonArray documents = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      JsonObject file = files.getJsonObject(i);
      JsonObject resource = new JsonObject()
          .put("resource_id", ids.getLong(i))
          .put("file_name", file.getString("file_name"))
          .put("task_id", created.getLong("host_task_id"));
      JsonObject document = new JsonObject()
          .put("id", ids.getLong(i))
          .put("resource_id", ids.getLong(i))
          .put("knowledge_base_id", knowledgeBaseId)
          .put("file_name", file.getString("file_name"))
          .put("size", file.getLong("size"))
          .put("content_hash", file.getString("content_hash"));
      int index = i;
      if (duplicates.stream().anyMatch(d -> ((Number) d).intValue() == index)) {
        resource.put("duplicate", true);
        document.put("duplicate", true);
      } else {
        document.put("status", "todo");
      }
      resources.add(resource);
      documents.add(document);
    }
    JsonArray replaced = new JsonArray();
    created.getJsonArray("replaced").forEach(deleted -> replaced.add(((JsonObject) deleted).getLong("resource_id")));
    JsonObject response = new JsonObject().put("task_id", created.getLong("task_id"))
        .put("knowledge_base_id", knowledgeBaseId).put("resources", resources).put("documents", documents);
    return replaced.isEmpty() ? response : response.put("replaced", replaced);
  }

  private Future<Void> removeAll(JsonArray stored) {
    List<Future<Void>> removals = new ArrayList<>();
    stored.forEach(s -> removals.add(removeFolderOf(((JsonObject) s).getString("file_path"))));
    return Future.join(removals).otherwiseEmpty().mapEmpty();
  }

  /** Deletes the stored copy of a removed upload; files outside the files directory (a host's) are never touched. */
  Future<Void> removeStoredFile(JsonObject deleted) {
    if (!deleted.getBoolean("row_removed", false) || deleted.getString("file_path") == null) {
      return Future.succeededFuture();
    }
    return removeFolderOf(deleted.getString("file_path"));
  }

  private Future<Void> removeFolderOf(String filePath) {
    Path folder = Path.of(filePath).toAbsolutePath().normalize().getParent();
    if (folder == null || !folder.startsWith(filesDir) || folder.equals(filesDir)) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().deleteRecursive(folder.toString()).otherwiseEmpty().mapEmpty();
  }

  /**
   * The last path element of a client's file name, without control characters or separators, and short enough for
   * any file system: at most {@value #MAX_NAME_BYTES} bytes in UTF-8, cut between characters, keeping a short extension.
   */
  static String safeName(String clientName) {
    String name = clientName == null ? "" : clientName.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    name = name.replaceAll("[\\p{Cntrl}]", "").strip();
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      name = "upload";
    }
    if (utf8Length(name) <= MAX_NAME_BYTES) {
      return name;
    }
    String ext = extension(name);
    String suffix = ext.isEmpty() || ext.length() > MAX_EXTENSION_CHARS ? "" : "." + ext;
    String stem = suffix.isEmpty() ? name : name.substring(0, name.length() - suffix.length());
    int budget = MAX_NAME_BYTES - suffix.length();
    int end = 0;
    while (end < stem.length()) {
      int size = utf8Length(Character.toString(stem.codePointAt(end)));
      if (size > budget) {
        break;
      }
      budget -= size;
      end += Character.charCount(stem.codePointAt(end));
    }
    return stem.substring(0, end).strip() + suffix;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
