package io.atrium.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * atrium's chunks and vectors of a corpus (the {@code atrium.embed.document} replies), cached under
 * {@code target/bench-cache/<model>/} so reruns skip the embedding. The file is keyed by model, set, chunk settings
 * and corpus size; a mismatching header means the cache is ignored and rebuilt.
 */
final class ChunkCache {
  private static final String RECIPE = "title-heading+body v1";

  private ChunkCache() {
  }

  record Entry(String model, int dimension, List<JsonArray> chunks, boolean fromCache, double embedSeconds) {
    int chunkCount() {
      return chunks.stream().mapToInt(JsonArray::size).sum();
    }
  }

  static Path dir() {
    String override = System.getenv("ATRIUM_BENCH_CACHE");
    return (override != null && !override.isBlank() ? Path.of(override) : Path.of("target", "bench-cache"))
        .toAbsolutePath().normalize();
  }

  static String fingerprint(String set, Path corpusFile, List<BenchData.Doc> docs, int size, int overlap) {
    try {
      return set + "|" + Files.size(corpusFile) + "|" + docs.size() + "|" + docs.getFirst().id() + "|"
          + docs.getLast().id() + "|chunk " + size + "/" + overlap + "|" + RECIPE;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cached chunks of the corpus for atrium's configured model, embedding through atrium when not cached. */
  static Entry obtain(BenchAtrium atrium, String set, Path corpusFile, List<BenchData.Doc> docs) {
    String model = atrium.model();
    String fingerprint = fingerprint(set, corpusFile, docs, atrium.chunkSize(), atrium.chunkOverlap());
    Path file = dir().resolve(model).resolve(set + "-" + docs.size() + "docs-chunk" + atrium.chunkSize() + "-"
        + atrium.chunkOverlap() + ".jsonl");
    Entry cached = read(file, model, fingerprint, docs);
    if (cached != null) {
      return cached;
    }
    long start = System.nanoTime();
    List<JsonArray> chunks = atrium.embedDocuments(docs, 8, new BenchAtrium.ProgressLine("embedding " + set, docs.size()));
    double seconds = (System.nanoTime() - start) / 1e9;
    int dimension = atrium.request(io.atrium.bus.Addresses.EMBED_INFO, new JsonObject()).getInteger("dimension");
    write(file, model, dimension, fingerprint, docs, chunks);
    return new Entry(model, dimension, chunks, false, seconds);
  }

  private static Entry read(Path file, String model, String fingerprint, List<BenchData.Doc> docs) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject header = new JsonObject(in.readLine());
      if (!model.equals(header.getString("model")) || !fingerprint.equals(header.getString("fingerprint"))) {
        System.err.println("  .. cache " + file + " is for other data; rebuilding");
        return null;
      }
      List<JsonArray> chunks = new ArrayList<>(docs.size());
      for (BenchData.Doc doc : docs) {
        JsonObject line = new JsonObject(in.readLine());
        if (!doc.id().equals(line.getString("doc"))) {
          System.err.println("  .. cache " + file + " is out of order; rebuilding");
          return null;
        }
        chunks.add(line.getJsonArray("chunks"));
      }
      return new Entry(model, header.getInteger("dimension"), chunks, true, 0);
    } catch (IOException | RuntimeException e) {
      System.err.println("  .. cache " + file + " unreadable (" + e.getMessage() + "); rebuilding");
      return null;
    }
  }

  private static void write(Path file, String model, int dimension, String fingerprint, List<BenchData.Doc> docs,
      List<JsonArray> chunks) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        out.write(new JsonObject().put("model", model).put("dimension", dimension).put("fingerprint", fingerprint).encode());
        out.newLine();
        for (int i = 0; i < docs.size(); i++) {
          out.write(new JsonObject().put("doc", docs.get(i).id()).put("chunks", chunks.get(i)).encode());
          out.newLine();
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
