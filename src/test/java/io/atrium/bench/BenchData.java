package io.atrium.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The retrieval sets under ../shared/data/retrieval (override the data root with ATRIUM_BENCH_DATA). */
final class BenchData {
  private BenchData() {
  }

  /** A corpus document: title and text, indexed as one resource. */
  record Doc(String id, String title, String text) {
  }

  static Path dataRoot() {
    String override = System.getenv("ATRIUM_BENCH_DATA");
    Path root = override != null && !override.isBlank() ? Path.of(override) : Path.of("..", "shared", "data");
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("retrieval"))) {
      throw new IllegalStateException("no retrieval data under " + root + " (set ATRIUM_BENCH_DATA to the data folder)");
    }
    return root;
  }

  /** The machine's load average: the benchmarks share 2 cores with other work, so the figures say how busy it was. */
  static String loadLine(String when) {
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format("# system load average (1 min) at %s: %.2f on %d cores", when, load,
        Runtime.getRuntime().availableProcessors());
  }

  static Path retrieval(String set) {
    return dataRoot().resolve("retrieval").resolve(set);
  }

  static List<Doc> corpus(Path file) {
    List<Doc> docs = new ArrayList<>();
    forEachJson(file, json -> docs.add(new Doc(json.getValue("_id").toString(), json.getString("title", ""),
        json.getString("text", ""))));
    return docs;
  }

  /** Query id → text, in file order. */
  static Map<String, String> queries(Path file) {
    Map<String, String> queries = new LinkedHashMap<>();
    forEachJson(file, json -> queries.put(json.getValue("_id").toString(), json.getString("text")));
    return queries;
  }

  /** Query id → (doc id → relevance), from a BEIR tsv with a header line; relevance 0 rows are skipped. */
  static Map<String, Map<String, Integer>> qrels(Path file) {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      boolean first = true;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\t");
        if (first) {
          first = false;
          if (!parts[parts.length - 1].trim().matches("-?\\d+")) {
            continue; // header
          }
        }
        int relevance = Integer.parseInt(parts[2].trim());
        if (relevance > 0) {
          qrels.computeIfAbsent(parts[0].trim(), q -> new LinkedHashMap<>()).put(parts[1].trim(), relevance);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return qrels;
  }

  private static void forEachJson(Path file, java.util.function.Consumer<JsonObject> action) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          action.accept(new JsonObject(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
