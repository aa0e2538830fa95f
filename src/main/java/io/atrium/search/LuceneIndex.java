package io.atrium.search;

import io.atrium.bus.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index derived from SQLite's chunks: one document per chunk (its id, its resource, its analysed text
 * and, when vectors are kept here, its vector in an HNSW graph). SQLite stays the truth: every write here is a
 * replace of a whole resource, so applying a change twice is harmless, and the commit records the seq of the last
 * {@code index_changes} row applied, so a restart knows where to catch up from. Every method blocks: call it from a
 * worker. Thread-safe (IndexWriter and SearcherManager are).
 */
public final class LuceneIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneIndex.class);
  static final String APPLIED_SEQ = "applied_seq";
  static final String VECTOR_MODEL = "vector_model";
  private static final String CHUNK = "chunk";
  private static final String RESOURCE = "resource";
  private static final String TEXT = "text";
  private static final String VECTOR = "vector";
  /** Distinct query terms kept (Lucene refuses more than 1024 clauses; a 2,000-character question has fewer). */
  private static final int MAX_QUERY_TERMS = 512;

  /** A chunk as the index takes it; {@code vector} (encoded, {@link Vectors}) is null when vectors are not kept here. */
  public record ChunkDoc(long chunkId, long resourceId, String text, byte[] vector) {
  }

  private final Analyzer analyzer = new TextAnalyzer();
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  private LuceneIndex(Directory directory, IndexWriter writer) throws IOException {
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
  }

  /**
   * Opens the index at {@code path}, or starts an empty one when it is missing or cannot be read (corrupt, from an
   * incompatible Lucene): {@link #appliedSeq()} is then -1 and the caller rebuilds it from SQLite.
   */
  public static LuceneIndex open(Path path) throws IOException {
    Files.createDirectories(path);
    Directory directory = FSDirectory.open(path);
    if (DirectoryReader.indexExists(directory)) {
      try (DirectoryReader probe = DirectoryReader.open(directory)) {
        LOG.info("lucene index at {}: {} documents", path, probe.numDocs());
      } catch (IOException | RuntimeException unreadable) {
        LOG.warn("lucene index at {} cannot be read ({}); it will be rebuilt from SQLite", path, unreadable.toString());
        directory.close();
        wipe(path);
        directory = FSDirectory.open(path);
      }
    }
    IndexWriterConfig config = new IndexWriterConfig(new TextAnalyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(64);
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      // a live process holds it (the OS releases a dead one's lock): never wipe another atrium's index
      directory.close();
      throw new IOException("the lucene index at " + path + " is in use by another process (two atriums on one data folder?)", e);
    } catch (IOException | RuntimeException e) {
      // a commit point that only the writer notices as broken: start over
      LOG.warn("lucene index at {} cannot be opened for writing ({}); it will be rebuilt from SQLite", path, e.toString());
      directory.close();
      wipe(path);
      directory = FSDirectory.open(path);
      writer = new IndexWriter(directory, config.setOpenMode(IndexWriterConfig.OpenMode.CREATE));
    }
    return new LuceneIndex(directory, writer);
  }

  private static void wipe(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(path)) {
          Files.delete(file);
        }
      }
    }
  }

  /** The seq of the last index change this index's latest commit holds, or -1 when it holds none. */
  long appliedSeq() {
    return Long.parseLong(commitData().getOrDefault(APPLIED_SEQ, "-1"));
  }

  String vectorModel() {
    return commitData().get(VECTOR_MODEL);
  }

  private Map<String, String> commitData() {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
    }
    return data;
  }

  /** Replaces every document of the resource with {@code chunks} (none: the resource is removed), atomically. */
  void replace(long resourceId, List<ChunkDoc> chunks) throws IOException {
    Term resource = new Term(RESOURCE, Long.toString(resourceId));
    if (chunks.isEmpty()) {
      writer.deleteDocuments(resource);
    } else {
      writer.updateDocuments(resource, chunks.stream().map(LuceneIndex::document).toList());
    }
  }

  /** Adds documents without deleting first: only for a rebuild into an emptied index. */
  public void add(List<ChunkDoc> chunks) throws IOException {
    writer.addDocuments(chunks.stream().map(LuceneIndex::document).toList());
  }

  void deleteAll() throws IOException {
    writer.deleteAll();
  }

  private static Document document(ChunkDoc chunk) {
    Document doc = new Document();
    doc.add(new StoredField(CHUNK, chunk.chunkId()));
    doc.add(new StringField(RESOURCE, Long.toString(chunk.resourceId()), Field.Store.YES));
    doc.add(new TextField(TEXT, chunk.text(), Field.Store.NO));
    if (chunk.vector() != null) {
      doc.add(new KnnFloatVectorField(VECTOR, Vectors.fromBytes(chunk.vector()), VectorSimilarityFunction.DOT_PRODUCT));
    }
    return doc;
  }

  /** Makes everything written so far durable, recording the seq it covers (and the model of its vectors). */
  public void commit(long appliedSeq, String vectorModel) throws IOException {
    Map<String, String> data = new HashMap<>(commitData());
    data.put(APPLIED_SEQ, Long.toString(appliedSeq));
    if (vectorModel != null) {
      data.put(VECTOR_MODEL, vectorModel);
    } else {
      data.remove(VECTOR_MODEL); // documents written from now on carry no vectors
    }
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
  }

  /** Makes everything written so far visible to searches. */
  public void refresh() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  public int documents() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().numDocs();
    } finally {
      searchers.release(searcher);
    }
  }

  public long bytesOnDisk() throws IOException {
    long total = 0;
    for (String file : directory.listAll()) {
      try {
        total += directory.fileLength(file);
      } catch (IOException vanished) {
        // merged away while listing
      }
    }
    return total;
  }

  /** The analysed terms of a question (stop words gone, stems, CJK bigrams), each once. */
  public List<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading from a String
    }
    return new ArrayList<>(terms);
  }

  /**
   * The best chunks for the question by BM25, best first. Any term may match (OR); Lucene's top-k pruning skips
   * documents that cannot reach the top {@code limit}, so a long question does not score every row.
   * {@code allowedResources} (null: all) filters inside the search, before the top-k cut.
   */
  public List<Fusion.Scored> search(List<String> terms, Collection<Long> allowedResources, int limit) throws IOException {
    if (terms.isEmpty() || (allowedResources != null && allowedResources.isEmpty())) {
      return List.of();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String term : terms) {
      query.add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD);
    }
    if (allowedResources != null) {
      query.add(resourceFilter(allowedResources), BooleanClause.Occur.FILTER);
      query.setMinimumNumberShouldMatch(1);
    }
    return run(query.build(), limit);
  }

  /** The {@code k} nearest chunks by the HNSW graph (approximate), best first; filtered inside the graph search. */
  public List<Fusion.Scored> nearest(float[] vector, int k, Collection<Long> allowedResources) throws IOException {
    if (allowedResources != null && allowedResources.isEmpty()) {
      return List.of();
    }
    Query filter = allowedResources == null ? null : resourceFilter(allowedResources);
    List<Fusion.Scored> hits = run(new KnnFloatVectorQuery(VECTOR, vector, k, filter), k);
    // Lucene scales a dot product to (1 + dot) / 2; give back the cosine, as the exact scan does
    return hits.stream().map(hit -> new Fusion.Scored(hit.chunkId(), hit.score() * 2 - 1)).toList();
  }

  private static Query resourceFilter(Collection<Long> resources) {
    return new TermInSetQuery(RESOURCE, resources.stream().map(id -> new BytesRef(Long.toString(id))).toList());
  }

  private List<Fusion.Scored> run(Query query, int limit) throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(query, limit);
      StoredFields stored = searcher.storedFields();
      List<Fusion.Scored> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc hit : top.scoreDocs) {
        long chunkId = stored.document(hit.doc, Set.of(CHUNK)).getField(CHUNK).numericValue().longValue();
        hits.add(new Fusion.Scored(chunkId, hit.score));
      }
      return hits;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
      writer.close();
    } finally {
      directory.close();
    }
  }
}
