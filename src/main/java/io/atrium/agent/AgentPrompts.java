package io.atrium.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The instructions atrium gives a model for each agent job; each asks for one JSON object of a fixed shape. */
final class AgentPrompts {
  static final String DECOMPOSE = """
      You break a task into the concrete subtasks needed to finish it.
      Answer with exactly one JSON object and nothing else, of this shape:
      {"suggested_subtasks": [{"title": "<short imperative title>", "priority": "High" | "Medium" | "Low"}]}
      Give 3 to 8 subtasks in the order they should be done. Write titles in the language of the task.""";

  static final String TAG = """
      You suggest tags that describe a document, for filing and search.
      Answer with exactly one JSON object and nothing else, of this shape:
      {"suggested_tags": ["<tag>", ...]}
      Give 3 to 8 short tags (one to three words each), most specific first, in the language of the document.""";

  static final String RERANK = """
      You judge how well each numbered passage answers a search query.
      Answer with exactly one JSON object and nothing else, of this shape:
      {"scores": [<number from 0 to 10 for passage 1>, <for passage 2>, ...]}
      with one score per passage, in the order given: 10 answers the query fully, 0 is unrelated.""";

  private AgentPrompts() {
  }

  static String decomposeInput(JsonObject request, String context) {
    StringBuilder text = new StringBuilder("Task: ").append(request.getString("title"));
    if (request.getString("description") != null && !request.getString("description").isBlank()) {
      text.append("\nDescription: ").append(request.getString("description"));
    }
    if (request.getString("context") != null && !request.getString("context").isBlank()) {
      text.append("\nContext given with the task: ").append(request.getString("context"));
    }
    if (!context.isEmpty()) {
      text.append("\n\nPassages from the task's documents:\n").append(context);
    }
    return text.toString();
  }

  static String tagInput(String filePath, JsonArray chunks, int maxChars) {
    StringBuilder text = new StringBuilder("Document: ").append(fileName(filePath)).append("\n\n");
    for (Object chunk : chunks) {
      String passage = ((JsonObject) chunk).getString("text");
      if (text.length() + passage.length() > maxChars) {
        text.append(passage, 0, Math.max(0, maxChars - text.length()));
        break;
      }
      text.append(passage).append("\n\n");
    }
    return text.toString().strip();
  }

  static String rerankInput(String query, JsonArray results, int maxCharsEach) {
    StringBuilder text = new StringBuilder("Query: ").append(query).append("\n\n");
    for (int i = 0; i < results.size(); i++) {
      String passage = results.getJsonObject(i).getString("text", "");
      text.append("Passage ").append(i + 1).append(": ")
          .append(passage.length() > maxCharsEach ? passage.substring(0, maxCharsEach) : passage).append("\n\n");
    }
    return text.toString().strip();
  }

  /** The correction sent back when an answer was refused. */
  static String retry(String reason) {
    return "That answer could not be used: " + reason + ". Answer again with only the JSON object.";
  }

  private static String fileName(String path) {
    if (path == null) {
      return "(unnamed)";
    }
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }
}
