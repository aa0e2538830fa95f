package io.atrium.parse;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The parser's own process ({@link ParserProcess} starts it): Tika runs here, behind a heap cap, where a runaway parse
 * can be killed without touching atrium's heap or threads. Reads its settings, then one request per line on stdin
 * ({@code {"file_path"}}), and answers each with one line on stdout: {@code {"document": …}} in the body of
 * {@code atrium.parse.extract}'s reply, or {@code {"failure": {message, permanent}}}. Logs go to stderr. Exits when
 * stdin closes, so it never outlives atrium, even after a {@code kill -9}.
 */
public final class ParseChild {
  private ParseChild() {
  }

  public static void main(String[] args) throws IOException {
    PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err); // before any logger starts: stdout carries answers only
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String first = requests.readLine();
    if (first == null) {
      return;
    }
    JsonObject settings = new JsonObject(first);
    DocumentParser parser = new DocumentParser(settings.getLong("max_file_bytes"), settings.getLong("max_chars"),
        settings.getBoolean("ocr"), settings.getString("ocr_languages"), settings.getString("tesseract_path"));
    answer(answers, new JsonObject().put("ready", true));
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      answer(answers, parse(parser, new JsonObject(line).getString("file_path")));
    }
  }

  private static JsonObject parse(DocumentParser parser, String filePath) {
    try {
      return new JsonObject().put("document", ParseVerticle.toJson(parser.parse(Path.of(filePath))));
    } catch (ParseFailure failure) {
      return failure(failure.getMessage(), failure.permanent());
    } catch (RuntimeException e) {
      return failure("parser failed on a malformed document: " + DocumentParser.describe(e), true);
    }
  }

  private static JsonObject failure(String message, boolean permanent) {
    return new JsonObject().put("failure", new JsonObject().put("message", message).put("permanent", permanent));
  }

  private static void answer(PrintStream answers, JsonObject answer) {
    answers.println(answer.encode());
    answers.flush();
  }
}
