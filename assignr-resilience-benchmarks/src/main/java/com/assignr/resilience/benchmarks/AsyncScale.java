package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Thousands of non-blocking calls waiting behind a closed gate: 2,000 {@code sendAsync} calls
 * through the JDK decorator and 2,000 {@code enqueue}d calls of an {@link AssignrCallFactory}. A
 * first call reads {@code X-Ratelimit-Remaining: 0} (reset in 10 s) from a loopback server, which
 * closes the gate; then the calls are started, the JVM's live threads and heap are sampled while
 * they wait, and all of them are cancelled. Waiting should cost a scheduled task and a few small
 * objects per call, never a thread.
 *
 * <p>A reset of 10 s keeps every caller inside the default one-minute cap on server-directed
 * waits: the gate releases waiting callers 20 ms apart, so the 2,000th is told to come back after
 * 10 + 1 + 2,000 × 0.02 = 51 s.
 */
@Command(name = "async-scale", mixinStandardHelpOptions = true,
    description = "Peak threads and heap while thousands of async calls wait behind a closed gate.")
public final class AsyncScale implements Callable<Integer> {
  @Option(names = "--calls", defaultValue = "2000", description = "calls per client (default ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--hold-ms", defaultValue = "3000", description = "how long to watch them wait (default ${DEFAULT-VALUE})")
  long holdMillis;

  /**
   * What one client's calls cost while waiting.
   *
   * @param client which adapter
   * @param calls calls started
   * @param threadsBefore live threads once the client was warm and the gate closed
   * @param peakThreads the most live threads while the calls were started and waited
   * @param peakThreadsCancelling the most live threads while the cancelled calls completed
   * @param heapBefore heap in use after a GC, before the calls
   * @param peakHeap the most heap in use seen while they waited (garbage included)
   * @param heapWaiting heap in use after a GC while they waited
   * @param sentWhileClosed requests that reached the server while the gate was closed (want 0)
   * @param stillPendingAtEnd calls not yet completed when the watch ended (want all of them)
   * @param endedAfterCancel calls that completed (as cancelled) within 5 s of cancelling
   * @param threadsAfter live threads 1 s after cancelling
   */
  record Report(String client, int calls, int threadsBefore, int peakThreads, int peakThreadsCancelling, long heapBefore,
      long peakHeap, long heapWaiting, long sentWhileClosed, int stillPendingAtEnd, int endedAfterCancel,
      int threadsAfter) {

    long bytesPerWaitingCall() {
      return (heapWaiting - heapBefore) / Math.max(1, calls);
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int exit = new CommandLine(new AsyncScale()).execute(args);
    if (exit != 0) System.exit(exit); // returning normally keeps `mvn exec:java` alive to report
  }

  @Override
  public Integer call() throws Exception {
    List<Report> reports = List.of(jdk(calls, Duration.ofMillis(holdMillis)), okhttp(calls, Duration.ofMillis(holdMillis)));
    System.out.println(table(reports));
    return 0;
  }

  static String table(List<Report> reports) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-34s %6s %8s %8s %9s %9s %9s %10s %8s %5s %8s %9s %8s%n", "client", "calls",
        "threads0", "peakThr", "peakCncl", "heap0 MB", "peak MB", "waiting MB", "B/call", "sent", "pending", "cancelled", "threads1"));
    for (Report r : reports) {
      b.append(String.format(Locale.ROOT, "%-34s %6d %8d %8d %9d %9.1f %9.1f %10.1f %8d %5d %8d %9d %8d%n", r.client(),
          r.calls(), r.threadsBefore(), r.peakThreads(), r.peakThreadsCancelling(), mb(r.heapBefore()), mb(r.peakHeap()), mb(r.heapWaiting()),
          r.bytesPerWaitingCall(), r.sentWhileClosed(), r.stillPendingAtEnd(), r.endedAfterCancel(), r.threadsAfter()));
    }
    return b.toString();
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static AssignrResilience resilience() {
    return AssignrResilience.builder().allowInsecureLoopback(true).listener(RetryListener.NONE).build();
  }

  static Report jdk(int calls, Duration hold) throws Exception {
    try (LoopbackServer server = LoopbackServer.start(0, 10)) {
      HttpClient client = AssignrHttpClient.wrap(
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), resilience());
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.url()))
          .header("Authorization", "Bearer scale").build();
      client.send(request, BodyHandlers.discarding()); // Remaining: 0 closes the gate
      Probe probe = Probe.start(server);
      List<CompletableFuture<HttpResponse<Void>>> futures = new ArrayList<>(calls);
      for (int i = 0; i < calls; i++) futures.add(client.sendAsync(request, BodyHandlers.discarding()));
      probe.watch(hold);
      int pending = (int) futures.stream().filter(f -> !f.isDone()).count();
      long sent = server.served() - 1;
      long heapWaiting = Probe.heapAfterGc();
      probe.cancelling();
      futures.forEach(f -> f.cancel(true));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (futures.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) Thread.sleep(10);
      int ended = (int) futures.stream().filter(CompletableFuture::isDone).count();
      Thread.sleep(1000);
      return probe.report("jdk AssignrHttpClient.sendAsync", calls, heapWaiting, sent, pending, ended);
    }
  }

  static Report okhttp(int calls, Duration hold) throws Exception {
    try (LoopbackServer server = LoopbackServer.start(0, 10)) {
      OkHttpClient client = new OkHttpClient();
      AssignrCallFactory factory = AssignrCallFactory.create(client, resilience());
      Request request = new Request.Builder().url(server.url()).header("Authorization", "Bearer scale").build();
      try (Response first = factory.newCall(request).execute()) { // Remaining: 0 closes the gate
        first.body().bytes();
      }
      Probe probe = Probe.start(server);
      AtomicInteger completed = new AtomicInteger();
      CountDownLatch allEnded = new CountDownLatch(calls);
      Callback callback = new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          response.close();
          completed.incrementAndGet();
          allEnded.countDown();
        }

        @Override
        public void onFailure(Call call, IOException e) {
          completed.incrementAndGet();
          allEnded.countDown();
        }
      };
      List<Call> started = new ArrayList<>(calls);
      for (int i = 0; i < calls; i++) {
        Call call = factory.newCall(request);
        call.enqueue(callback);
        started.add(call);
      }
      probe.watch(hold);
      int pending = calls - completed.get();
      long sent = server.served() - 1;
      long heapWaiting = Probe.heapAfterGc();
      probe.cancelling();
      started.forEach(Call::cancel);
      allEnded.await(5, TimeUnit.SECONDS);
      int ended = completed.get();
      Thread.sleep(1000);
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
      return probe.report("okhttp AssignrCallFactory.enqueue", calls, heapWaiting, sent, pending, ended);
    }
  }

  /** Samples live threads and heap. */
  private static final class Probe {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    final int threadsBefore;
    final long heapBefore;
    long peakHeap;
    int peakWaiting;

    private Probe(int threadsBefore, long heapBefore) {
      this.threadsBefore = threadsBefore;
      this.heapBefore = heapBefore;
    }

    static Probe start(LoopbackServer server) {
      long heap = heapAfterGc();
      THREADS.resetPeakThreadCount();
      return new Probe(THREADS.getThreadCount(), heap);
    }

    void watch(Duration hold) throws InterruptedException {
      long end = System.nanoTime() + hold.toNanos();
      while (System.nanoTime() < end) {
        peakHeap = Math.max(peakHeap, MEMORY.getHeapMemoryUsage().getUsed());
        Thread.sleep(20);
      }
    }

    /** Ends the waiting phase: its peak is kept, and a new one starts for the cancellations. */
    void cancelling() {
      peakWaiting = THREADS.getPeakThreadCount();
      THREADS.resetPeakThreadCount();
    }

    Report report(String client, int calls, long heapWaiting, long sent, int pending, int ended) {
      return new Report(client, calls, threadsBefore, peakWaiting, THREADS.getPeakThreadCount(), heapBefore, peakHeap,
          heapWaiting, sent, pending, ended, THREADS.getThreadCount());
    }

    static long heapAfterGc() {
      for (int i = 0; i < 3; i++) System.gc();
      return MEMORY.getHeapMemoryUsage().getUsed();
    }
  }
}
