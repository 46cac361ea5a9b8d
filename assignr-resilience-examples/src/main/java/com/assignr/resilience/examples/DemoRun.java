package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.Classification;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.testkit.RateLimitRule;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/** Runs the job once through one adapter, shows progress, and sums up what the library did. */
final class DemoRun {
  /** The adapters the demo can use. */
  static final List<String> ADAPTERS = List.of("okhttp", "jdk");

  /**
   * Where to send the job.
   *
   * @param baseUrl the API base, e.g. {@code https://api.assignr.com/api/v2}
   * @param authorization a static {@code Authorization} value, or null when {@code credentials}
   *     manage the tokens; never printed
   * @param credentials the OAuth tokens the library adds to every request, or null
   * @param ssl a TLS context for a self-signed server (the simulator), or null for the default
   * @param trust the trust manager matching {@code ssl}, or null
   * @param rules the rate-limit windows the server applies, for the ideal time
   */
  record Target(String baseUrl, String authorization, Credentials credentials, SSLContext ssl, X509TrustManager trust,
      List<RateLimitRule> rules) {
    @Override
    public String toString() {
      return "Target{" + baseUrl + ", authorization=<hidden>}";
    }
  }

  /**
   * One adapter's run, as the library's listener saw it.
   *
   * @param adapter "okhttp" or "jdk"
   * @param requests attempts sent
   * @param rateLimited 429s received
   * @param retriesByCause retries scheduled, by the classification of the outcome retried
   * @param retryDelay the delays of those retries, summed
   * @param gateWait time callers waited in the rate-limit gate, summed over callers
   * @param gateClosures times the gate closed
   * @param start the instant the job started
   * @param elapsed the job's wall time
   * @param ideal the least time the rate limits allow for the requests the server counted
   * @param job what the job did
   */
  record Summary(String adapter, long requests, long rateLimited, Map<Classification, Long> retriesByCause,
      Duration retryDelay, Duration gateWait, long gateClosures, Instant start, Duration elapsed,
      Duration ideal, DemoJob.Result job) {
    long retries() {
      return retriesByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    long retries(Classification cause) {
      return retriesByCause.getOrDefault(cause, 0L);
    }
  }

  private DemoRun() {}

  /**
   * Runs the job through {@code adapter}.
   *
   * @param beforeDetails run once between the sync and the details
   * @param out where progress goes
   * @param progressEvery how often a progress line is printed; null for none
   */
  static Summary run(String adapter, Target target, DemoJob.Workload workload, Runnable beforeDetails,
      PrintStream out, Duration progressEvery) throws Exception {
    TimeSource time = TimeSource.system();
    DemoMetrics metrics = new DemoMetrics(time);
    // Everything a team configures: the library's defaults plus exceptions for final failures.
    // Loopback plain HTTP is allowed only so --base-url http://localhost:... works with a local
    // simulator; anything else must be HTTPS.
    AssignrResilience resilience = AssignrResilience.builder()
        .listener(metrics)
        .throwOnFailure(true)
        .allowInsecureLoopback(true)
        .credentials(target.credentials())
        .build();
    ObjectMapper mapper = new ObjectMapper();
    try (AssignrApi api = adapter.equals("okhttp")
        ? new OkHttpApi(resilience, target.authorization(), target.ssl(), target.trust(), mapper)
        : new JdkApi(resilience, target.authorization(), target.ssl(), mapper)) {
      DemoJob job = new DemoJob(api, target.baseUrl(), workload, mapper, beforeDetails);
      Instant start = time.clock().instant();
      long t0 = time.nanoTime();
      ScheduledExecutorService ticker = null;
      if (progressEvery != null) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "demo-progress");
          t.setDaemon(true);
          return t;
        });
        long every = progressEvery.toMillis();
        ticker.scheduleAtFixedRate(() -> out.println(progressLine(adapter, time.nanoTime() - t0, metrics, job)),
            every, every, TimeUnit.MILLISECONDS);
      }
      DemoJob.Result result;
      try {
        result = job.run();
      } finally {
        if (ticker != null) ticker.shutdownNow();
      }
      Duration elapsed = Duration.ofNanos(time.nanoTime() - t0);
      long counted = metrics.requests() - metrics.rateLimited();
      Summary summary = new Summary(adapter, metrics.requests(), metrics.rateLimited(),
          metrics.retriesByCause(), metrics.retryDelay(), metrics.gateWait(), metrics.gateClosures(),
          start, elapsed, IdealTime.of(target.rules(), counted, start), result);
      if (progressEvery != null) {
        out.println(progressLine(adapter, time.nanoTime() - t0, metrics, job) + "  finished");
      }
      return summary;
    }
  }

  static String progressLine(String adapter, long elapsedNanos, DemoMetrics m, DemoJob job) {
    RateLimitInfo rl = m.lastRateLimit();
    String headers = rl.remaining().isPresent()
        ? rl.remaining().getAsInt() + " left of " + rl.limit().orElse(-1) + "/" + rl.periodSeconds().orElse(-1) + "s"
        : "-";
    return String.format("[%-6s %5.1fs] requests %4d | 429s %2d | retries %3d | in flight %d | gate %-8s | headers: %-16s | %s",
        adapter, elapsedNanos / 1e9, m.requests(), m.rateLimited(), m.retries(), m.inFlight(),
        m.gateState(), headers, job.progress());
  }
}
