package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.redis.RedisGateStore;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One JVM of the fleet race: its share of the job, from its own threads, through its own
 * {@code AssignrResilience} (and its own Redis connection). Started by {@link FleetRace}; talks to
 * it over stdin/stdout: prints {@code READY} once built, waits for {@code GO <epoch ms>}, and
 * prints {@code RESULT} and {@code LATENCY} lines at the end; exits at once when its stdin closes
 * (the coordinator ended, even killed).
 *
 * <p>Args: strategy, simulator base URL, Redis URI, quota key, threads, requests, rules
 * ({@code LIMIT/SECONDS,…}), time limit in seconds, the Redis store's timeout in ms.
 */
public final class FleetWorker {
  private FleetWorker() {}

  public static void main(String[] args) throws Exception {
    FleetStrategy strategy = FleetStrategy.valueOf(args[0]);
    String baseUrl = args[1];
    String redisUri = args[2];
    String quota = args[3];
    int threads = Integer.parseInt(args[4]);
    int requests = Integer.parseInt(args[5]);
    List<long[]> rules = FleetRace.parseRules(args[6]);
    Duration timeLimit = Duration.ofSeconds(Long.parseLong(args[7]));
    Duration redisTimeout = Duration.ofMillis(Long.parseLong(args[8]));

    ConcurrentLinkedQueue<Long> admissionNanos = new ConcurrentLinkedQueue<>();
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger degraded = new AtomicInteger();
    RedisGateStore redisStore = null;
    RedisClient bucketClient = null;
    StatefulRedisConnection<String, byte[]> bucketConnection = null;
    GateStore store = GateStore.local();
    GatePolicy gate = GatePolicy.defaults();
    if (strategy == FleetStrategy.REDIS_GATE) {
      redisStore = RedisGateStore.builder().uri(redisUri).timeout(redisTimeout).build();
      store = redisStore;
    } else if (strategy == FleetStrategy.BUCKET4J) {
      gate = GatePolicy.disabled(); // the limiter admits; our engine only retries
    }
    AssignrResilience resilience = AssignrResilience.builder()
        .gate(gate)
        .gateStore(new TimedStore(store, admissionNanos))
        .quotaKey(QuotaKey.fixed(quota))
        .allowInsecureLoopback(true)
        .listener(new com.assignr.resilience.RetryListener() {
          @Override
          public void onRetryScheduled(com.assignr.resilience.RequestInfo r, int a, com.assignr.resilience.Decision.Retry d) {
            retries.incrementAndGet();
          }

          @Override
          public void onStoreDegraded(String quotaKey, Throwable cause) {
            if (quotaKey.equals(quota)) degraded.incrementAndGet();
          }
        })
        .build();
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(timeLimit)
        .addInterceptor(AssignrInterceptor.create(resilience)).build();

    AtomicLong goAt = new AtomicLong(); // the race's start: bucket4j's windows are aligned to it
    BucketProxy bucket = null;
    if (strategy == FleetStrategy.BUCKET4J) {
      bucketClient = RedisClient.create(redisUri);
      bucketConnection = bucketClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      LettuceBasedProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(bucketConnection)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
          .build();
      bucket = buckets.builder().build(quota, () -> bucketConfiguration(rules, goAt.get()));
    }

    warmUp(store, bucketConnection, rules);
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String go = in.readLine();
    if (go == null || !go.startsWith("GO ")) throw new IllegalStateException("expected GO, got " + go);
    goAt.set(Long.parseLong(go.substring(3).trim()));
    // The coordinator says nothing more; its end (even killed) closes this pipe: no worker outlives it.
    Thread orphaned = new Thread(() -> {
      try {
        while (in.readLine() != null) {
          // nothing else is sent
        }
      } catch (java.io.IOException e) {
        // the pipe broke: the same signal
      }
      System.exit(3);
    }, "fleet-worker-stdin");
    orphaned.setDaemon(true);
    orphaned.start();

    AtomicInteger next = new AtomicInteger();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicLong lastEndMicros = new AtomicLong();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + timeLimit.toNanos();
    BucketProxy limiter = bucket;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
          if (System.nanoTime() - deadline > 0) break;
          try {
            if (limiter != null) {
              long start = System.nanoTime();
              if (limiter.tryConsume(1)) {
                admissionNanos.add(System.nanoTime() - start);
              } else {
                limiter.asBlocking().consume(1);
              }
            }
            Request request = new Request.Builder().url(baseUrl + "/sites/1/games?page=" + (i % 5 + 1))
                .header("Authorization", "Bearer fleet").build();
            try (Response response = client.newCall(request).execute()) {
              if (response.code() == 200) succeeded.incrementAndGet();
              else failures.add("HTTP " + response.code());
            }
          } catch (Exception e) {
            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
          }
          Instant end = Instant.now();
          lastEndMicros.accumulateAndGet(end.getEpochSecond() * 1_000_000L + end.getNano() / 1000, Math::max);
        }
      }, "fleet-worker-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) worker.join();

    System.out.printf(Locale.ROOT, "RESULT succeeded=%d lastEndMicros=%d retries=%d degraded=%d failures=%s%n",
        succeeded.get(), lastEndMicros.get(), retries.get(), degraded.get(), String.join("|", failures));
    System.out.println("LATENCY " + admissionNanos.stream().map(n -> Long.toString(n / 1000))
        .collect(Collectors.joining(" ")));
    System.out.flush();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    if (redisStore != null) redisStore.close();
    if (bucketConnection != null) bucketConnection.close();
    if (bucketClient != null) bucketClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    System.exit(0);
  }

  /**
   * Runs the admission path a few hundred times on a quota of its own before the race, so that the
   * race measures a warm JVM (class loading, JIT, the scripts cached in Redis), as in a service
   * that has been up for a while.
   */
  private static void warmUp(GateStore store, StatefulRedisConnection<String, byte[]> bucketConnection,
      List<long[]> rules) {
    String key = "fleet-race:warm-up:" + ProcessHandle.current().pid();
    RateLimitGate gate = store.gate(new GateStore.Context(key, GatePolicy.defaults(), Duration.ofSeconds(1),
        com.assignr.resilience.TimeSource.system(), com.assignr.resilience.RetryListener.NONE));
    RateLimitInfo plenty = RateLimitInfo.from(name -> switch (name) {
      case RateLimitInfo.REMAINING -> "4000";
      case RateLimitInfo.RESET_SECONDS_REMAINING -> "600";
      default -> null;
    });
    for (int i = 0; i < 500; i++) {
      long now = System.nanoTime();
      if (gate.tryAcquire(now, Long.MAX_VALUE) instanceof Permit permit) permit.onResponse(200, plenty, System.nanoTime());
    }
    if (bucketConnection != null) {
      LettuceBasedProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(bucketConnection)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
          .build();
      BucketProxy warm = buckets.builder().build(key, () -> BucketConfiguration.builder()
          .addLimit(l -> l.capacity(1_000_000).refillGreedy(1_000_000, Duration.ofSeconds(1))).build());
      for (int i = 0; i < 500; i++) warm.tryConsume(1);
    }
  }

  /**
   * Assignr's documented limits as a user would give them to bucket4j: one bandwidth per rule,
   * refilled all at once at each boundary of the rule's window, aligned like Assignr's (multiples
   * of the period from the race's start, which is a boundary of every window).
   */
  static BucketConfiguration bucketConfiguration(List<long[]> rules, long goMillis) {
    io.github.bucket4j.ConfigurationBuilder config = BucketConfiguration.builder();
    for (long[] rule : rules) {
      long limit = rule[0];
      Duration period = Duration.ofSeconds(rule[1]);
      Instant firstRefill = Instant.ofEpochMilli(goMillis).plus(period);
      config.addLimit(limit(limit, period, firstRefill));
    }
    return config.build();
  }

  private static io.github.bucket4j.Bandwidth limit(long limit, Duration period, Instant firstRefill) {
    return io.github.bucket4j.Bandwidth.builder().capacity(limit)
        .refillIntervallyAligned(limit, period, firstRefill).initialTokens(limit).build();
  }

  /** A store whose gates record how long each admission that went at once took. */
  static final class TimedStore implements GateStore {
    final GateStore inner;
    final ConcurrentLinkedQueue<Long> samples;

    TimedStore(GateStore inner, ConcurrentLinkedQueue<Long> samples) {
      this.inner = inner;
      this.samples = samples;
    }

    @Override
    public RateLimitGate gate(Context context) {
      RateLimitGate gate = inner.gate(context);
      return new RateLimitGate() {
        @Override public String quotaKey() { return gate.quotaKey(); }

        @Override
        public Admission tryAcquire(long nowNanos, long maxWaitNanos) {
          long start = System.nanoTime();
          Admission answer = gate.tryAcquire(nowNanos, maxWaitNanos);
          if (answer instanceof Permit) samples.add(System.nanoTime() - start);
          return answer;
        }

        @Override
        public CompletionStage<Admission> tryAcquireAsync(long nowNanos, long maxWaitNanos) {
          return gate.tryAcquireAsync(nowNanos, maxWaitNanos);
        }

        @Override public boolean admitsWithoutIo() { return gate.admitsWithoutIo(); }
        @Override public void learn(int status, RateLimitInfo info, long nowNanos) { gate.learn(status, info, nowNanos); }
        @Override public GateState state() { return gate.state(); }
      };
    }
  }

}
