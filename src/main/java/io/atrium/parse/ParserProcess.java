package io.atrium.parse;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ParseChild} process, started at its first parse and again after one was stopped: Apache Tika's advice
 * for untrusted files is to parse them in a separate JVM. A parse over the time limit is killed (with any Tesseract
 * it started), a parse that exhausts the child's heap ends it ({@code -XX:+ExitOnOutOfMemoryError}); either way the
 * file fails permanently and atrium's own heap and threads are untouched. Used by one parse worker at a time.
 */
final class ParserProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParserProcess.class);
  /** What HotSpot exits with on an OutOfMemoryError under -XX:+ExitOnOutOfMemoryError. */
  private static final int OUT_OF_MEMORY_EXIT = 3;
  private static final long START_TIMEOUT_S = 60; // ingest.IngestSettings.PARSER_START_S
  private static final String END_OF_ANSWERS = "\u0000end";
  private static final String CLOSING = "atrium is stopping";

  private final ParseSettings settings;
  /** {@link ParseChild}, or a stand-in that tests give. */
  private final String mainClass;
  private volatile Process process;
  private Writer requests;
  private BlockingQueue<String> answers;

  ParserProcess(ParseSettings settings, String mainClass) {
    this.settings = settings;
    this.mainClass = mainClass;
  }

  /** The reply body of {@code atrium.parse.extract} for {@code file}, or the failure that ends it. */
  JsonObject parse(Path file) throws ParseFailure {
    start();
    try {
      requests.write(new JsonObject().put("file_path", file.toString()).encode() + "\n");
      requests.flush();
    } catch (IOException e) {
      throw ended("the parser process could not be reached");
    }
    String line = next(settings.timeoutS());
    if (line == null) {
      stop("a parse exceeded " + settings.timeoutS() + " s");
      throw new ParseFailure("parse exceeded " + settings.timeoutS() + " s and was stopped", true);
    }
    if (line.equals(END_OF_ANSWERS)) {
      throw ended("the parser process ended");
    }
    JsonObject answer = new JsonObject(line);
    JsonObject failure = answer.getJsonObject("failure");
    if (failure != null) {
      throw new ParseFailure(failure.getString("message"), failure.getBoolean("permanent", true));
    }
    return answer.getJsonObject("document");
  }

  private void start() throws ParseFailure {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(command()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new ParseFailure("cannot start the parser process: " + e.getMessage(), false);
    }
    requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    answers = new LinkedBlockingQueue<>();
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    BlockingQueue<String> queue = answers;
    Thread.ofPlatform().daemon().name("atrium-parse-answers-" + process.pid()).start(() -> {
      try {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          if (line.startsWith("{")) {
            queue.add(line);
          } else { // the JVM's own words, e.g. "Terminating due to java.lang.OutOfMemoryError"
            LOG.info("parser process: {}", line);
          }
        }
      } catch (IOException e) {
        // the process went away: its end is reported below
      }
      queue.add(END_OF_ANSWERS);
    });
    try {
      requests.write(new JsonObject().put("max_file_bytes", settings.maxFileBytes()).put("max_chars", settings.maxChars())
          .put("ocr", settings.ocr()).put("ocr_languages", settings.ocrLanguages())
          .put("tesseract_path", settings.tesseractPath()).encode() + "\n");
      requests.flush();
    } catch (IOException e) {
      throw ended("the parser process did not start");
    }
    String ready = next(START_TIMEOUT_S);
    if (ready == null || !ready.contains("\"ready\"")) {
      stop("it did not start");
      throw new ParseFailure("the parser process did not start within " + START_TIMEOUT_S + " s", false);
    }
    LOG.info("parser process {} started (heap limit {} MB)", process.pid(), settings.maxHeapMb());
  }

  private String next(long timeoutS) throws ParseFailure {
    try {
      return answers.poll(timeoutS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop("the parse worker is stopping");
      throw new ParseFailure("parser is shutting down", false);
    }
  }

  /** The child exited on its own: out of memory, or a crash; the next parse starts a new one. */
  private ParseFailure ended(String what) {
    Process ended = process;
    if (ended == null) {
      return new ParseFailure("parser is shutting down", false); // closed while this parse waited
    }
    int exit = -1;
    try {
      exit = ended.waitFor(10, TimeUnit.SECONDS) ? ended.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop(what);
    if (exit == OUT_OF_MEMORY_EXIT) {
      LOG.warn("parser process {} ran out of its {} MB heap", ended.pid(), settings.maxHeapMb());
      return new ParseFailure("parse exceeded the parser's " + settings.maxHeapMb() + " MB memory limit "
          + "(a decompression bomb?)", true);
    }
    LOG.warn("parser process {}: {} (exit {})", ended.pid(), what, exit);
    return new ParseFailure("the parser stopped on this file (exit " + exit + ")", true);
  }

  /** Kills the child and whatever it started (Tesseract), so nothing of a runaway parse goes on. */
  private void stop(String why) {
    Process running = process;
    if (running == null) {
      return;
    }
    process = null;
    if (running.isAlive() && why.equals(CLOSING)) {
      LOG.info("stopping parser process {}: {}", running.pid(), why);
    } else if (running.isAlive()) {
      LOG.warn("stopping parser process {}: {}", running.pid(), why);
    }
    running.descendants().forEach(ProcessHandle::destroyForcibly);
    running.destroyForcibly();
    try {
      running.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The running child, if any: for tests. */
  ProcessHandle running() {
    Process now = process;
    return now == null ? null : now.toHandle();
  }

  @Override
  public void close() {
    stop(CLOSING);
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
      command.addAll(List.of("/usr/bin/nice", "-n", "19")); // parsing is background work: requests come first
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + settings.maxHeapMb() + "m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Djava.awt.headless=true");
    String logConfig = System.getProperty("logback.configurationFile");
    if (logConfig != null) {
      command.add("-Dlogback.configurationFile=" + logConfig);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return command;
  }
}
