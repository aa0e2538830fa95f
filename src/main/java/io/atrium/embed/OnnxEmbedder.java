package io.atrium.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.atrium.system.ThreadPriority;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process BGE model (ONNX, from LangChain4j's model jars) driven directly: one ONNX Runtime session per thread
 * with one intra-op thread each, one text per run and no padding — the fastest setup measured on 2 cores. Inputs
 * are truncated at 512 tokens explicitly (and logged), never silently. Queries jump ahead of queued document chunks.
 */
public final class OnnxEmbedder implements Embedder {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);
  private static final int MAX_TOKENS = 512;
  private static final int BACKGROUND_NICE = 19;
  private static final Map<String, String> MODEL_FILES = Map.of(
      "bge-small-en-v15-q", "bge-small-en-v1.5-q",
      "bge-small-zh-v15-q", "bge-small-zh-v1.5-q");

  private final String model;
  private final HuggingFaceTokenizer tokenizer;
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final List<OrtSession> sessions = new ArrayList<>();
  private final ThreadLocal<OrtSession> threadSession = new ThreadLocal<>();
  private final AtomicInteger nextSession = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  /**
   * The turn of the chunk job that ran last. A document's k-th chunk gets the turn {@code now + k}, so documents
   * embedding at the same time take turns, chunk by chunk: a one-chunk file that arrives while a book is half done
   * runs after at most one more of the book's chunks, not after all of them.
   */
  private final AtomicLong turn = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();
  private final ThreadPoolExecutor executor;
  private final int dimension;

  public OnnxEmbedder(String model, int threads) {
    String files = MODEL_FILES.get(model);
    if (files == null) {
      throw new IllegalArgumentException("unknown onnx model '" + model + "'; known: " + MODEL_FILES.keySet());
    }
    this.model = model;
    try (InputStream tokenizerJson = resource("/" + files + "-tokenizer.json");
         InputStream onnx = resource("/" + files + ".onnx")) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
          Map.of("maxLength", String.valueOf(MAX_TOKENS), "truncation", "true", "padding", "false"));
      byte[] modelBytes = onnx.readAllBytes();
      for (int i = 0; i < threads; i++) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        sessions.add(environment.createSession(modelBytes, options));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load embedding model " + model, e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot start ONNX Runtime for " + model + ": " + e.getMessage(), e);
    }
    ThreadFactory platform = Thread.ofPlatform().name("atrium-embed-", 0).daemon().factory();
    executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new PriorityBlockingQueue<>(),
        work -> platform.newThread(() -> {
          ThreadPriority.lowerCurrentThread(BACKGROUND_NICE);
          work.run();
        }));
    dimension = embedNow("dimension probe").length;
    LOG.info("embedding model {} loaded: {} dimensions, {} sessions", model, dimension, threads);
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = OnnxEmbedder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("model resource " + name + " is not on the classpath");
    }
    return in;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String language() {
    return model.contains("-zh-") ? "cjk" : "latin";
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Future<float[]> embedQuery(String text) {
    Context context = currentContext();
    Promise<float[]> promise = Promise.promise();
    submit(0, 0, text, promise, context);
    return promise.future();
  }

  @Override
  public Future<List<float[]>> embedDocuments(List<String> texts, ProgressListener progress) {
    Context context = currentContext();
    List<Future<float[]>> parts = new ArrayList<>(texts.size());
    AtomicInteger finished = new AtomicInteger();
    long firstTurn = turn.get();
    for (int i = 0; i < texts.size(); i++) {
      Promise<float[]> promise = Promise.promise();
      submit(1, firstTurn + i, texts.get(i), promise, context);
      parts.add(promise.future().onSuccess(v -> progress.done(finished.incrementAndGet(), texts.size())));
    }
    return Future.all(parts).map(all -> parts.stream().map(Future::result).toList());
  }

  private static Context currentContext() {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("embed requests must come from a Vert.x context");
    }
    return context;
  }

  private void submit(int priority, long jobTurn, String text, Promise<float[]> promise, Context context) {
    executor.execute(new Job(priority, jobTurn, sequence.incrementAndGet(), () -> {
      turn.accumulateAndGet(jobTurn, Math::max);
      try {
        float[] vector = embedNow(text);
        context.runOnContext(v -> promise.complete(vector));
      } catch (RuntimeException e) {
        context.runOnContext(v -> promise.fail(e));
      }
    }));
  }

  /**
   * Blocking: tokenizes and runs the model on the calling thread's own session, bypassing the queue. Public so the
   * ingest benchmark can measure the raw model beside the pipeline.
   */
  public float[] embedNow(String text) {
    Encoding encoding = tokenizer.encode(text);
    if (encoding.exceedMaxLength()) {
      long count = truncated.incrementAndGet();
      if (Long.bitCount(count) == 1) { // 1, 2, 4, 8…: seen, without a line per long query
        LOG.warn("an input longer than the model's window was cut to {} tokens ({} so far; chunking should keep "
            + "documents' chunks within it)", encoding.getIds().length, count);
      }
    }
    long[] ids = encoding.getIds();
    long[][] inputIds = {ids};
    long[][] mask = {encoding.getAttentionMask()};
    long[][] types = {encoding.getTypeIds()};
    OrtSession session = session();
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, inputIds);
         OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
         OnnxTensor typesTensor = OnnxTensor.createTensor(environment, types)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsTensor);
      inputs.put("attention_mask", maskTensor);
      if (session.getInputNames().contains("token_type_ids")) {
        inputs.put("token_type_ids", typesTensor);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        // BGE uses the [CLS] token's state as the sentence vector
        return Embedder.normalize(Arrays.copyOf(hidden[0][0], hidden[0][0].length));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
    }
  }

  private OrtSession session() {
    OrtSession session = threadSession.get();
    if (session == null) {
      session = sessions.get(Math.floorMod(nextSession.getAndIncrement(), sessions.size()));
      threadSession.set(session);
    }
    return session;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      // closing a session while a thread is inside run() crashes the JVM in native code
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("embedding threads still busy after 30 s; leaving ONNX sessions open");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("closing session: {}", e.getMessage());
      }
    }
    tokenizer.close();
  }

  /** Lower priority value first (queries), then the earlier turn (fair shares between documents), then FIFO. */
  private record Job(int priority, long turn, long sequence, Runnable work) implements Runnable, Comparable<Job> {
    @Override
    public void run() {
      work.run();
    }

    @Override
    public int compareTo(Job other) {
      if (priority != other.priority) {
        return Integer.compare(priority, other.priority);
      }
      return turn != other.turn ? Long.compare(turn, other.turn) : Long.compare(sequence, other.sequence);
    }
  }
}
