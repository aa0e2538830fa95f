package io.atrium.bench;

import com.sun.management.OperatingSystemMXBean;
import io.atrium.e2e.AtriumHarness;
import io.atrium.fakes.FakeLlmServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Overhead of atrium's chat path against calling the (fake) provider directly, in one run on one machine: rounds of
 * {@code concurrency} simultaneous streamed completions, alternating direct and through atrium
 * ({@code POST /chat/completions} with {@code "stream": true}: HTTP → bus → chat → provider → bus → SSE, plus the
 * retrieval log write), then the same for whole answers. The fake replays the recorded OpenAI stream with
 * {@code delayMs} between events, like a model producing tokens. Reports p50/p99 of the time to the first token and
 * of the whole answer, and atrium minus direct.
 * Usage: ChatBench [concurrency=100] [rounds=10] [delayMs=10] [warmUpRounds=10]
 */
public final class ChatBench {
  private static final String FIRST_TOKEN = "\"The\"";
  private static final OperatingSystemMXBean CPU = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** The callers', the provider's and this main thread: every other Java thread is atrium's. */
  private static final Set<Long> OUTSIDE_THREADS = new HashSet<>();
  private static io.vertx.core.Context CLIENT_CONTEXT;

  public static void main(String[] args) throws Exception {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long delayMs = args.length > 2 ? Long.parseLong(args[2]) : 10;
    // 3 rounds (300 requests) left much of both paths to the JIT compilers during the measured rounds, on the same 2
    // cores; 10 rounds run each per-event method ~20,000 times first
    int warmUpRounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    // atrium, the provider and the callers, each with its own Vert.x and event loops as separate processes would
    // have: on a shared event loop the fake's writes delay atrium's reads, and a provider sharing the callers' loop
    // would serve atrium's calls on the same thread that reads atrium's answers (twice the work of a direct call).
    // The provider and the callers have one event loop each, so their threads are known and atrium's own CPU time
    // can be told apart from theirs.
    Vertx vertx = Vertx.vertx();
    Vertx provider = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx callers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    OUTSIDE_THREADS.add(Thread.currentThread().threadId());
    for (Vertx outside : List.of(provider, callers)) {
      Promise<Long> thread = Promise.promise();
      outside.getOrCreateContext().runOnContext(v -> thread.complete(Thread.currentThread().threadId()));
      OUTSIDE_THREADS.add(thread.future().await());
    }
    FakeLlmServer fake = new FakeLlmServer(provider);
    fake.start();
    fake.streamDelayMs = delayMs;
    Path data = Files.createTempDirectory("atrium-chat-bench");
    AtriumHarness atrium = new AtriumHarness(vertx, data).start(Map.of("ATRIUM_CHAT_OPENAI_BASE_URL", fake.url("/openai/v1")));
    CLIENT_CONTEXT = callers.getOrCreateContext();
    HttpClient client = callers.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(concurrency * 2));
    System.out.printf("chat benchmark: %d concurrent requests x %d rounds per path after %d warm-up rounds, %d ms between "
        + "streamed events, %d cores, load average %s%n", concurrency, rounds, warmUpRounds, delayMs,
        Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());

    JsonObject providerBody = new JsonObject().put("model", "gpt-4o-mini")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is the capital of the UK?")));
    JsonObject atriumBody = providerBody.copy().put("provider", "openai").put("api_key", FakeLlmServer.KEY);
    Target direct = new Target(fake.port(), "/openai/v1/chat/completions", FakeLlmServer.KEY);
    Target viaAtrium = new Target(atrium.port, "/chat/completions", null);
    // a second HTTP front end of the same atrium that requires an API token: what the auth check adds
    String token = "bench-token-0123456789abcdef0123456789";
    Target viaAtriumWithToken = new Target(atrium.startFrontEnd(Map.of("ATRIUM_HTTP_API_TOKEN", token)),
        "/chat/completions", token);

    for (boolean stream : new boolean[] {true, false}) {
      // warm-up: JIT, connection pools
      for (int i = 0; i < warmUpRounds; i++) {
        round(client, direct, providerBody.copy().put("stream", stream), concurrency);
        round(client, viaAtrium, atriumBody.copy().put("stream", stream), concurrency);
        round(client, viaAtriumWithToken, atriumBody.copy().put("stream", stream), concurrency);
      }
      Samples directSamples = new Samples();
      Samples atriumSamples = new Samples();
      Samples tokenSamples = new Samples();
      for (int r = 0; r < rounds; r++) {
        directSamples.addAll(round(client, direct, providerBody.copy().put("stream", stream), concurrency));
        atriumSamples.addAll(round(client, viaAtrium, atriumBody.copy().put("stream", stream), concurrency));
        tokenSamples.addAll(round(client, viaAtriumWithToken, atriumBody.copy().put("stream", stream), concurrency));
      }
      String kind = stream ? "streamed" : "whole";
      directSamples.print(kind + " direct to provider", stream);
      atriumSamples.print(kind + " through atrium   ", stream);
      tokenSamples.print(kind + " atrium + token   ", stream);
      System.out.printf("%s added by the API token check: whole answer p50 %+.2f ms, p99 %+.2f ms%s%n", kind,
          tokenSamples.total(50) - atriumSamples.total(50), tokenSamples.total(99) - atriumSamples.total(99),
          stream ? String.format("; first token p50 %+.2f ms, p99 %+.2f ms", tokenSamples.first(50) - atriumSamples.first(50),
              tokenSamples.first(99) - atriumSamples.first(99)) : "");
      System.out.printf("%s added by atrium: whole answer p50 %+.2f ms, p99 %+.2f ms", kind,
          atriumSamples.total(50) - directSamples.total(50), atriumSamples.total(99) - directSamples.total(99));
      if (stream) {
        System.out.printf("; first token p50 %+.2f ms, p99 %+.2f ms (goal < 5 ms at p99)",
            atriumSamples.first(50) - directSamples.first(50), atriumSamples.first(99) - directSamples.first(99));
      }
      System.out.printf("; CPU a request: process %+.3f ms, atrium's threads %.3f ms%n",
          (atriumSamples.cpuNanos - directSamples.cpuNanos) / 1e6 / atriumSamples.total.size(),
          atriumSamples.atriumCpuNanos / 1e6 / atriumSamples.total.size());
    }
    System.exit(0);
  }

  private record Target(int port, String path, String bearer) {
  }

  /** One request's times in ms: to the first token (streams), to the end. */
  private record Sample(double firstMs, double totalMs) {
  }

  private static final class Samples {
    final List<Double> first = new ArrayList<>();
    final List<Double> total = new ArrayList<>();

    /** Process CPU time (all threads: callers, provider, atrium, GC, JIT) spent in this path's rounds. */
    long cpuNanos;
    /** The CPU time of atrium's own Java threads in this path's rounds. */
    long atriumCpuNanos;

    void addAll(Round round) {
      cpuNanos += round.cpuNanos();
      atriumCpuNanos += round.atriumCpuNanos();
      List<Sample> samples = round.samples();
      samples.forEach(s -> {
        first.add(s.firstMs());
        total.add(s.totalMs());
      });
    }

    double first(int p) {
      return percentile(first, p);
    }

    double total(int p) {
      return percentile(total, p);
    }

    void print(String label, boolean stream) {
      System.out.printf("%s n=%d: whole answer p50 %.2f ms p99 %.2f ms%s; CPU a request: process %.3f ms, atrium's "
          + "threads %.3f ms%n", label, total.size(), total(50), total(99),
          stream ? String.format("; first token p50 %.2f ms p99 %.2f ms", first(50), first(99)) : "",
          cpuNanos / 1e6 / total.size(), atriumCpuNanos / 1e6 / total.size());
    }
  }

  /** One round's samples and the process CPU time it took. */
  private record Round(List<Sample> samples, long cpuNanos, long atriumCpuNanos) {
  }

  /** CPU time so far of each of atrium's live threads. */
  private static Map<Long, Long> atriumThreadCpu() {
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = OUTSIDE_THREADS.contains(id) ? -1 : THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }

  private static Round round(HttpClient client, Target target, JsonObject body, int concurrency) {
    long cpuBefore = CPU.getProcessCpuTime();
    Map<Long, Long> atriumBefore = atriumThreadCpu();
    List<Future<Sample>> all = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      // sent from an event-loop context, so the response handlers are set before any of the body can arrive
      Promise<Sample> sample = Promise.promise();
      CLIENT_CONTEXT.runOnContext(v -> one(client, target, body).onComplete(sample));
      all.add(sample.future());
    }
    Future.all(all).await();
    long cpu = CPU.getProcessCpuTime() - cpuBefore;
    long atriumCpu = 0;
    for (Map.Entry<Long, Long> thread : atriumThreadCpu().entrySet()) {
      atriumCpu += thread.getValue() - atriumBefore.getOrDefault(thread.getKey(), 0L);
    }
    return new Round(all.stream().map(Future::result).toList(), cpu, atriumCpu);
  }

  private static Future<Sample> one(HttpClient client, Target target, JsonObject body) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(target.port())
        .setURI(target.path()).putHeader("content-type", "application/json").setIdleTimeout(60_000);
    if (target.bearer() != null) {
      options.putHeader("authorization", "Bearer " + target.bearer());
    }
    return client.request(options).compose(request -> request.send(body.toBuffer())).compose(response -> {
      if (response.statusCode() != 200) {
        return response.body().compose(error -> Future.failedFuture(target.path() + " answered "
            + response.statusCode() + ": " + error));
      }
      Promise<Sample> done = Promise.promise();
      long[] first = {0};
      Buffer seen = Buffer.buffer();
      response.handler(chunk -> {
        if (first[0] == 0) {
          seen.appendBuffer(chunk);
          if (seen.toString().contains(FIRST_TOKEN)) {
            first[0] = System.nanoTime();
          }
        }
      });
      response.endHandler(v -> {
        long end = System.nanoTime();
        done.complete(new Sample(((first[0] == 0 ? end : first[0]) - start) / 1e6, (end - start) / 1e6));
      });
      response.exceptionHandler(done::tryFail);
      return done.future();
    });
  }

  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
