package io.atrium.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.atrium.bus.Addresses;
import io.atrium.e2e.EventLog;
import io.atrium.fakes.FakeCodingModelServer;
import io.atrium.fakes.FakeCodingModelServer.Turn;
import io.atrium.sessions.TranscriptReader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coding-agent sessions (seed 001) with the real Claude Code CLI against the fake model server, in one run:
 * <ol>
 *   <li>one CLI turn through atrium ({@code POST /api/v1/conversations/{id}}, a new conversation each round) against
 *       the same CLI started directly with the same command, env, folder and stdin, rounds interleaved;</li>
 *   <li>{@code GET …/inputs?limit=100} on a 1 GB inputs JSONL written straight into the conversation's file, and on
 *       a 1 KB one, requests interleaved;</li>
 *   <li>{@code POST …/messages/sync} of a 100 MB synthetic transcript in the line shapes of
 *       {@code claude-code-capture/session_tooluse.jsonl}: throughput and heap growth;</li>
 *   <li>20 conversations running at once, each followed on its own {@code /ws/notifications} socket.</li>
 * </ol>
 * The fake and the callers have a Vert.x (one event loop) each, apart from atrium's, as separate processes would.
 * Sizes are in MB of 2^20 bytes.
 * Usage: SessionsBench [rounds=15] [warmUps=2] [inputsMb=1024] [transcriptMb=100] [conversations=20]
 */
public final class SessionsBench {
  private static final Logger LOG = LoggerFactory.getLogger(SessionsBench.class);
  private static final Path CLAUDE = Path.of(System.getProperty("atrium.clis",
      System.getProperty("user.home") + "/.cache/atrium-clis/node_modules/.bin")).resolve("claude");
  private static final String WORKER = "bench";
  private static final String PROMPT = "Summarise what this repository does in one paragraph.";
  private static final long MB = 1024 * 1024;
  /**
   * The warm-up transcript is an earlier day's session and the measured one today's, as when a user syncs a new
   * session beside old ones: its timestamps come after every stored one (the timestamp index grows at its end).
   */
  private static final java.time.Instant YESTERDAY = java.time.Instant.parse("2026-01-04T09:00:00Z");
  private static final java.time.Instant TODAY = java.time.Instant.parse("2026-01-05T09:00:00Z");

  private final Vertx callers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final Vertx provider = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final FakeCodingModelServer fake = new FakeCodingModelServer(provider);
  private final Path work;
  private final Path home;
  private final Path projects;
  private final SessionsBenchData.Corpus corpus = new SessionsBenchData.Corpus(new SplittableRandom(1));
  private BenchAtrium atrium;
  private Api api;

  private SessionsBench() throws IOException {
    work = Files.createTempDirectory("atrium-sessions-bench");
    home = Files.createDirectories(work.resolve("home"));
    projects = Files.createDirectories(work.resolve("projects"));
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    long inputsMb = args.length > 2 ? Long.parseLong(args[2]) : 1024;
    long transcriptMb = args.length > 3 ? Long.parseLong(args[3]) : 100;
    int conversations = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    if (!Files.isExecutable(CLAUDE)) {
      LOG.error("Claude Code is not installed at {} (scripts/clis installs it)", CLAUDE);
      System.exit(2);
    }
    int status = 0;
    SessionsBench bench = null;
    try {
      bench = new SessionsBench();
      bench.start(conversations);
      bench.cliTurn(rounds, warmUps);
      bench.inputsRead(inputsMb * MB);
      bench.transcriptSync(transcriptMb * MB);
      bench.concurrentConversations(conversations);
    } catch (Exception | AssertionError e) {
      LOG.error("sessions benchmark failed", e);
      status = 1;
    } finally {
      if (bench != null) {
        bench.close();
      }
    }
    System.exit(status);
  }

  private void start(int conversations) throws Exception {
    fake.start();
    atrium = BenchAtrium.start(Map.of(
        "ATRIUM_SESSIONS_ALLOWED_ROOTS", projects.toString(),
        "ATRIUM_SESSIONS_CLAUDE_COMMAND", CLAUDE.toString(),
        "ATRIUM_SESSIONS_CONCURRENCY", String.valueOf(conversations)));
    // enough connections for every conversation's input at once (the default pool holds 5)
    api = new Api(WebClient.create(callers, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(conversations * 2)),
        atrium.harness.port);
    JsonObject env = new JsonObject();
    workerEnv().forEach(env::put);
    api.post("/api/v1/workers", new JsonObject().put("worker_name", WORKER).put("type", "claudecode")
        .put("env_vars", env).put("command_params", new JsonArray()));
    System.out.printf("sessions benchmark: Claude Code %s, %d cores, load average %s%n", claudeVersion(),
        Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private Map<String, String> workerEnv() {
    return Map.of("HOME", home.toString(), "ANTHROPIC_BASE_URL", fake.anthropicBaseUrl(),
        "ANTHROPIC_API_KEY", fake.key(), "CLAUDE_CODE_MAX_RETRIES", "0", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
  }

  // ---- 1. one CLI turn, through atrium and direct ----

  private void cliTurn(int rounds, int warmUps) throws Exception {
    Path project = Files.createDirectories(projects.resolve("turns"));
    Samples viaAtrium = new Samples();
    Samples direct = new Samples();
    List<Double> differences = new ArrayList<>();
    try (TurnPhases phases = new TurnPhases(atrium.vertx)) {
      for (int round = 0; round < warmUps + rounds; round++) {
        // alternating which goes first, so neither always runs on a machine the other has just warmed or loaded
        TurnTimes atriumTurn;
        TurnTimes directTurn;
        if (round % 2 == 0) {
          atriumTurn = atriumTurn(project, phases);
          directTurn = directTurn(project);
        } else {
          directTurn = directTurn(project);
          atriumTurn = atriumTurn(project, phases);
        }
        if (round >= warmUps) {
          viaAtrium.add(atriumTurn);
          direct.add(directTurn);
          differences.add(atriumTurn.totalMs() - directTurn.totalMs());
        }
      }
    }
    double added = viaAtrium.p(TurnTimes::totalMs, 50) - direct.p(TurnTimes::totalMs, 50);
    System.out.printf("1. one CLI turn (%d rounds after %d warm-ups, interleaved; a new conversation each round, so "
        + "neither side resumes):%n", rounds, warmUps);
    System.out.printf("   through atrium (POST /api/v1/conversations/{id} until its reply): p50 %.1f ms, p90 %.1f ms "
        + "[p50 of its parts: until the 'running' event (rows, input appended and forced to disk) %.1f ms; then until "
        + "the CLI's result line %.1f ms; then until the reply (exit, run row, transcript sync) %.1f ms]%n",
        viaAtrium.p(TurnTimes::totalMs, 50), viaAtrium.p(TurnTimes::totalMs, 90), viaAtrium.p(TurnTimes::beforeMs, 50),
        viaAtrium.p(TurnTimes::cliMs, 50), viaAtrium.p(TurnTimes::afterMs, 50));
    System.out.printf("   direct (claude --print --output-format stream-json …, until exit): p50 %.1f ms, p90 %.1f ms "
        + "[p50 until its result line %.1f ms, then until exit %.1f ms]%n", direct.p(TurnTimes::totalMs, 50),
        direct.p(TurnTimes::totalMs, 90), direct.p(TurnTimes::cliMs, 50), direct.p(TurnTimes::afterMs, 50));
    System.out.printf("   atrium adds p50 %+.1f ms (median of the per-round differences %+.1f ms) — goal < 50 ms p50 "
        + "added: %s%n", added, ChatBench.percentile(differences, 50), verdict(added < 50));
  }

  /** One turn's times in ms: before the CLI runs, the CLI until its result line, from there until the end. */
  private record TurnTimes(double beforeMs, double cliMs, double afterMs) {
    double totalMs() {
      return beforeMs + cliMs + afterMs;
    }
  }

  private static final class Samples {
    private final List<TurnTimes> turns = new ArrayList<>();

    void add(TurnTimes times) {
      turns.add(times);
    }

    double p(ToDoubleFunction<TurnTimes> part, int percentile) {
      return ChatBench.percentile(turns.stream().map(part::applyAsDouble).toList(), percentile);
    }
  }

  /** When each conversation's run published its 'running' status and its result, as seen on atrium's bus. */
  private static final class TurnPhases implements AutoCloseable {
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Map<String, Long> result = new ConcurrentHashMap<>();
    private final MessageConsumer<JsonObject> consumer;

    TurnPhases(Vertx vertx) {
      consumer = vertx.eventBus().consumer(Addresses.EVENTS_SESSION, message -> {
        long now = System.nanoTime();
        JsonObject event = message.body();
        String id = event.getString("conversation_id");
        if ("status".equals(event.getString("kind")) && "running".equals(event.getString("status"))) {
          running.putIfAbsent(id, now);
        } else if ("result".equals(event.getString("kind"))) {
          result.putIfAbsent(id, now);
        }
      });
      consumer.completion().await();
    }

    TurnTimes of(String id, long start, long end) {
      Long runningAt = running.get(id);
      Long resultAt = result.get(id);
      if (runningAt == null || resultAt == null) {
        throw new IllegalStateException("conversation " + id + ": no running status or result event was seen");
      }
      return new TurnTimes((runningAt - start) / 1e6, (resultAt - runningAt) / 1e6, (end - resultAt) / 1e6);
    }

    @Override
    public void close() {
      consumer.unregister().await();
    }
  }

  private TurnTimes atriumTurn(Path project, TurnPhases phases) {
    String id = conversation(project); // not timed: the turn is the input
    long start = System.nanoTime();
    HttpResponse<Buffer> response = api.postAsync("/api/v1/conversations/" + id, new JsonObject().put("content", PROMPT))
        .await();
    long end = System.nanoTime();
    JsonObject reply = Api.ok(response, "input");
    if (!"done".equals(reply.getString("status"))) {
      throw new IllegalStateException("the run through atrium did not end done: " + reply.encode());
    }
    return phases.of(id, start, end);
  }

  /** The command atrium runs for a first turn (ClaudeCode.command without --resume), in the same env and folder. */
  private TurnTimes directTurn(Path project) throws Exception {
    List<String> command = List.of(CLAUDE.toString(), "--print", "--output-format", "stream-json", "--verbose",
        "--include-partial-messages");
    Path folder = project.toRealPath();
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(workerEnv());
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(PROMPT.getBytes(StandardCharsets.UTF_8));
    }
    long resultAt = 0;
    String resultLine = null;
    try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (resultAt == 0 && line.contains("\"type\":\"result\"")) {
          resultAt = System.nanoTime();
          resultLine = line;
        }
      }
    }
    int code = process.waitFor();
    long end = System.nanoTime();
    if (code != 0 || resultLine == null || resultLine.contains("\"is_error\":true")) {
      throw new IllegalStateException("the direct CLI run failed (exit " + code + "): " + resultLine);
    }
    return new TurnTimes(0, (resultAt - start) / 1e6, (end - resultAt) / 1e6);
  }

  // ---- 2. inputs, newest first, from a 1 GB log ----

  private void inputsRead(long bytes) throws Exception {
    String big = conversation(Files.createDirectories(projects.resolve("inputs-big")));
    String small = conversation(Files.createDirectories(projects.resolve("inputs-small")));
    Path bigFile = inputsFile(big);
    long writeStart = System.nanoTime();
    SessionsBenchData.InputsWritten bigLog = SessionsBenchData.writeInputs(bigFile, bytes, WORKER, corpus);
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
    SessionsBenchData.InputsWritten smallLog = SessionsBenchData.writeInputs(inputsFile(small), 1024, WORKER, corpus);
    try {
      for (int i = 0; i < 50; i++) {
        inputsMs(big, bigLog, 100);
        inputsMs(small, smallLog, smallLog.records());
      }
      List<Double> bigMs = new ArrayList<>();
      List<Double> smallMs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        bigMs.add(inputsMs(big, bigLog, 100));
        smallMs.add(inputsMs(small, smallLog, smallLog.records()));
      }
      double bigP99 = ChatBench.percentile(bigMs, 99);
      System.out.printf("2. GET /api/v1/conversations/{id}/inputs?limit=100, 300 requests each after 50 warm-ups, "
          + "interleaved:%n");
      System.out.printf("   on a %.0f MB inputs JSONL (%,d records, written in %.1f s): p50 %.2f ms, p99 %.2f ms — goal "
          + "p99 < 20 ms: %s%n", bigLog.bytes() / (double) MB, bigLog.records(), writeSeconds,
          ChatBench.percentile(bigMs, 50), bigP99, verdict(bigP99 < 20));
      System.out.printf("   on a %d-byte inputs JSONL (%d records, for comparison): p50 %.2f ms, p99 %.2f ms%n",
          smallLog.bytes(), smallLog.records(), ChatBench.percentile(smallMs, 50), ChatBench.percentile(smallMs, 99));
    } finally {
      Files.deleteIfExists(bigFile);
    }
  }

  private double inputsMs(String id, SessionsBenchData.InputsWritten log, int expected) {
    long start = System.nanoTime();
    HttpResponse<Buffer> response = api.getAsync("/api/v1/conversations/" + id + "/inputs?limit=100").await();
    double ms = (System.nanoTime() - start) / 1e6; // the reply's bytes in; parsing them is the caller's cost
    JsonArray inputs = Api.ok(response, "inputs").getJsonArray("inputs");
    if (inputs.size() != expected || !inputs.getJsonObject(0).getString("content").equals(log.newestContent())) {
      throw new IllegalStateException("inputs of " + id + ": " + inputs.size() + " records, not the " + expected
          + " newest");
    }
    return ms;
  }

  private Path inputsFile(String id) {
    return atrium.dataDir.resolve("conversations").resolve(WORKER).resolve(id.substring(0, 2)).resolve(id + ".input.jsonl");
  }

  // ---- 3. sync of a 100 MB transcript ----

  private void transcriptSync(long bytes) throws Exception {
    // the JIT, before the measured sync: enough lines of the same shapes for the compilers to finish with the reading
    // and storing code (a 2 MB warm-up left them compiling through the measured sync); then the warm-up's indexing
    // for search (ONNX embedding of its newest 2M characters, on these same cores) is let finish
    // for search (ONNX embedding of its newest 2M characters, on these same cores) is let finish; so is each measured
    // sync's before the next
    syncThenLetIndex(() -> sync(Files.createDirectories(projects.resolve("sync-warm-up")), 32 * MB, YESTERDAY, true));
    report("3.", "today's session, synced beside yesterday's", syncThenLetIndex(
        () -> sync(Files.createDirectories(projects.resolve("sync-app")), bytes, TODAY, false)));
    // two conversations run at once: the second's timestamps fall among the first's, so the timestamp index takes
    // scattered inserts, not appends at its end
    report("3b.", "a second session of the same hours, synced beside it",
        sync(Files.createDirectories(projects.resolve("sync-app-2")), bytes, TODAY, false));
  }

  private SyncRun syncThenLetIndex(java.util.concurrent.Callable<SyncRun> sync) throws Exception {
    try (BusTime indexed = new BusTime(atrium.vertx, Addresses.STORE_CHUNKS_REPLACE)) {
      SyncRun run = sync.call();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
      while (indexed.replies.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      return run;
    }
  }

  private void report(String number, String what, SyncRun run) {
    double seconds = run.nanos() / 1e9;
    double mbPerSecond = run.bytes() / (double) MB / seconds;
    long heapMb = run.heap().growth() / MB;
    System.out.printf("%s POST /api/v1/conversations/{id}/messages/sync of a %.0f MB transcript, %s (%,d lines of the kept "
        + "types user, assistant and queue-operation): %.2f s, %.1f MB/s — goal >= 100 MB/s: %s; heap growth %d MB "
        + "(peak used %d MB over %d MB after a GC) — goal < 64 MB: %s; reply total %d = kept lines %d: %s%n",
        number, run.bytes() / (double) MB, what, run.lines(), seconds, mbPerSecond, verdict(mbPerSecond >= 100), heapMb,
        run.heap().peak() / MB, run.heap().baseline / MB, verdict(heapMb < 64), run.total(), run.lines(),
        run.total() == run.lines() ? "yes" : "NO");
    System.out.printf("   where it goes: answering %d atrium.store.messages.append requests took %.2f s of it; reading "
        + "and parsing the file alone (TranscriptReader, batches dropped) runs at %.1f MB/s; the heap after each of the "
        + "%d GCs during the sync was at most %d MB over the baseline (the rest of the growth is garbage not yet "
        + "collected)%n", run.storeRequests(), run.storeNanos() / 1e9, run.readOnlyMbPerSecond(), run.heap().collections(),
        run.heap().retainedGrowth() / MB);
  }

  private record SyncRun(long bytes, int lines, long nanos, HeapSampler heap, long total, int storeRequests,
      long storeNanos, double readOnlyMbPerSecond) {
  }

  /** Writes the transcript where Claude Code keeps the session, names the session, times one sync of it. */
  private SyncRun sync(Path project, long bytes, java.time.Instant firstTimestamp, boolean warmUp) throws Exception {
    String id = conversation(project);
    String projectPath = api.get("/api/v1/conversations/" + id).getString("project_path");
    String session = UUID.randomUUID().toString();
    Path file = home.resolve(".claude/projects").resolve(projectPath.replaceAll("[^A-Za-z0-9]", "-"))
        .resolve(session + ".jsonl");
    int lines = new SessionsBenchData.SyntheticTranscript(corpus, session, projectPath, firstTimestamp).write(file, bytes);
    atrium.request(Addresses.STORE_CONVERSATION_UPDATE, new JsonObject().put("id", id).put("raw_conversation_id", session));
    JsonObject reply;
    long nanos;
    HeapSampler heap = new HeapSampler();
    BusTime store = new BusTime(atrium.vertx, Addresses.STORE_MESSAGES_APPEND);
    try (heap; store) {
      Map<String, Long> cpuBefore = threadCpu();
      long start = System.nanoTime();
      reply = api.post("/api/v1/conversations/" + id + "/messages/sync", new JsonObject());
      nanos = System.nanoTime() - start;
      Map<String, Long> cpuAfter = threadCpu();
      StringBuilder busiest = new StringBuilder();
      cpuAfter.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L)))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
          .forEach(e -> busiest.append(String.format("%s %.0f ms, ", e.getKey(), e.getValue() / 1e6)));
      if (!warmUp) {
        System.out.println("   the busiest threads' CPU time during the sync: " + busiest);
      }
    }
    if (reply.getInteger("added") != lines) {
      throw new IllegalStateException("the sync of " + lines + " lines added " + reply.encode());
    }
    long readStart = System.nanoTime();
    TranscriptReader.read(file, 0, 500, (batch, offsetAfter) -> { });
    double readOnly = Files.size(file) / (double) MB / ((System.nanoTime() - readStart) / 1e9);
    return new SyncRun(Files.size(file), lines, nanos, heap, reply.getLong("total"), store.requests.get(),
        store.nanos.get(), readOnly);
  }

  /** CPU time of every live thread of this JVM (atrium's and the bench's), by thread name. */
  private static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        cpu.merge(info.getThreadName(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())), Long::sum);
      }
    }
    return cpu;
  }

  /** Time atrium spends answering requests to one address: from each request's delivery to its reply's. */
  private static final class BusTime implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger replies = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong();
    private final Vertx vertx;
    private final String address;
    private final Map<String, Long> awaitingReply = new ConcurrentHashMap<>();
    private final Handler<DeliveryContext<Object>> interceptor = this::delivered;

    BusTime(Vertx vertx, String address) {
      this.vertx = vertx;
      this.address = address;
      vertx.eventBus().addInboundInterceptor(interceptor);
    }

    private void delivered(DeliveryContext<Object> delivery) {
      Message<Object> message = delivery.message();
      if (address.equals(message.address()) && message.replyAddress() != null) {
        requests.incrementAndGet();
        awaitingReply.put(message.replyAddress(), System.nanoTime());
      } else {
        Long since = awaitingReply.remove(message.address());
        if (since != null) {
          replies.incrementAndGet();
          nanos.addAndGet(System.nanoTime() - since);
        }
      }
      delivery.next();
    }

    @Override
    public void close() {
      vertx.eventBus().removeInboundInterceptor(interceptor);
    }
  }

  /**
   * The used heap of this JVM every 10 ms, from right after a full GC; and, from the GCs' own reports, the heap
   * each one left behind: what stayed reachable, as against garbage not collected yet.
   */
  private static final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    final long baseline;
    private volatile long peak;
    private volatile long retainedPeak;
    private final AtomicInteger collections = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final NotificationListener afterGc = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
            (CompositeData) notification.getUserData());
        long left = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
            .filter(pool -> heapPools.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
        retainedPeak = Math.max(retainedPeak, left);
        collections.incrementAndGet();
      }
    };

    HeapSampler() {
      System.gc();
      baseline = used();
      peak = baseline;
      retainedPeak = baseline;
      collectors().forEach(gc -> gc.addNotificationListener(afterGc, null, null));
      thread = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(this::sample);
    }

    long peak() {
      return peak;
    }

    long growth() {
      return peak - baseline;
    }

    long retainedGrowth() {
      return retainedPeak - baseline;
    }

    int collections() {
      return collections.get();
    }

    private void sample() {
      while (running) {
        peak = Math.max(peak, used());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private static long used() {
      return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static List<NotificationEmitter> collectors() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream().map(gc -> (NotificationEmitter) gc).toList();
    }

    @Override
    public void close() throws Exception {
      running = false;
      thread.join();
      peak = Math.max(peak, used());
      for (NotificationEmitter gc : collectors()) {
        gc.removeNotificationListener(afterGc);
      }
    }
  }

  // ---- 4. conversations at once, each on its own socket ----

  private void concurrentConversations(int count) throws Exception {
    fake.script.clear();
    List<String> ids = new ArrayList<>();
    List<EventLog> logs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(conversation(Files.createDirectories(projects.resolve("at-once-" + i))));
      fake.then(Turn.slow(50, 20));
    }
    try {
      for (String id : ids) {
        logs.add(EventLog.onWebSocket(callers, atrium.harness.port, "/ws/notifications?conversation_id=" + id));
      }
      long start = System.nanoTime();
      List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
      for (String id : ids) {
        posts.add(api.postAsync("/api/v1/conversations/" + id, new JsonObject().put("content", PROMPT + " (" + id + ")")));
      }
      Future.all(posts).await();
      for (EventLog log : logs) {
        log.await("the run's final status", Duration.ofMinutes(5), SessionsBench::isFinalStatus);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int events = 0;
      int inOrder = 0;
      int endedDone = 0;
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        List<JsonObject> received = logs.get(i).received();
        events += received.size();
        boolean ordered = seqIsOneToN(received);
        boolean done = "done".equals(received.get(received.size() - 1).getString("status"));
        inOrder += ordered ? 1 : 0;
        endedDone += done ? 1 : 0;
        if (!ordered || !done || posts.get(i).result().statusCode() != 200) {
          problems.add(ids.get(i) + ": HTTP " + posts.get(i).result().statusCode() + ", seqs "
              + received.stream().map(e -> e.getValue("seq")).toList() + ", last "
              + received.get(received.size() - 1).encode());
        }
      }
      System.out.printf("4. %d conversations at once (sessions.concurrency %d), each on its own /ws/notifications "
          + "socket, the fake streaming 50 text deltas 20 ms apart per answer: %,d events received; seq 1..n with no "
          + "gap, duplicate or reordering: %d/%d; ended with status done: %d/%d; wall time %.2f s (all inputs posted at "
          + "once until the last final status)%n", count, count, events, inOrder, count, endedDone, count, seconds);
      problems.forEach(problem -> System.out.println("   " + problem));
    } finally {
      logs.forEach(EventLog::close);
    }
    System.out.printf("   for comparison, the same %d CLI turns started directly at once (no atrium): wall time %.2f s%n",
        count, directAtOnceSeconds(count));
  }

  private double directAtOnceSeconds(int count) throws Exception {
    fake.script.clear();
    List<Path> folders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      folders.add(Files.createDirectories(projects.resolve("direct-at-once-" + i)));
      fake.then(Turn.slow(50, 20));
    }
    long start = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<TurnTimes>> turns = new ArrayList<>();
      for (Path folder : folders) {
        turns.add(threads.submit(() -> directTurn(folder)));
      }
      for (java.util.concurrent.Future<TurnTimes> turn : turns) {
        turn.get();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static boolean isFinalStatus(JsonObject event) {
    return "status".equals(event.getString("kind"))
        && List.of("done", "error", "cancelled").contains(event.getString("status"));
  }

  private static boolean seqIsOneToN(List<JsonObject> events) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getLong("seq", -1L) != i + 1) {
        return false;
      }
    }
    return !events.isEmpty();
  }

  // ---- shared ----

  private String conversation(Path project) {
    return api.post("/api/v1/conversations", new JsonObject().put("worker_name", WORKER)
        .put("project_path", project.toString())).getString("id");
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static String claudeVersion() throws Exception {
    Process version = new ProcessBuilder(CLAUDE.toString(), "--version").redirectErrorStream(true).start();
    String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    version.waitFor();
    return text;
  }

  private void close() {
    try {
      if (atrium != null) {
        atrium.close(); // and its temp data folder
      }
      fake.stop();
      callers.close().await();
      provider.close().await();
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", work, e.getMessage());
      }
    }
  }

  /** atrium's HTTP API from the callers' Vert.x; a status other than 2xx is an error naming the path. */
  private record Api(WebClient client, int port) {
    JsonObject post(String path, JsonObject body) {
      return ok(postAsync(path, body).await(), path);
    }

    Future<HttpResponse<Buffer>> postAsync(String path, JsonObject body) {
      return client.post(port, "127.0.0.1", path).sendJsonObject(body);
    }

    JsonObject get(String path) {
      return ok(getAsync(path).await(), path);
    }

    Future<HttpResponse<Buffer>> getAsync(String path) {
      return client.get(port, "127.0.0.1", path).send();
    }

    static JsonObject ok(HttpResponse<Buffer> response, String path) {
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.bodyAsString());
      }
      return response.bodyAsJsonObject();
    }
  }
}
