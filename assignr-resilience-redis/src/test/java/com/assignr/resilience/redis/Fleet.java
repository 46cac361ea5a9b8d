package com.assignr.resilience.redis;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GateState;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.RateLimitInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.testkit.AssignrSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/** Test helpers for fleets of instances: one instance, its client, its events and its timings. */
final class Fleet {
  private Fleet() {}

  /** One instance of the fleet, as a JVM would have it: its configuration and its JDK client. */
  static final class Instance {
    final AssignrResilience resilience;
    final HttpClient client;
    final Events events;
    final TimedStore store;
    final String quota;

    Instance(GateStore store, String quota, TimeSource time) {
      this.events = new Events();
      this.store = new TimedStore(store);
      this.quota = quota;
      this.resilience = AssignrResilience.builder()
          .gateStore(this.store)
          .quotaKey(QuotaKey.fixed(quota))
          .timeSource(time)
          .allowInsecureLoopback(true)
          .listener(events)
          .build();
      this.client = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), resilience);
    }

    int get(AssignrSimulator sim, String path) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(URI.create(sim.httpBaseUrl() + path))
          .header("Authorization", "Bearer one-of-many-tokens").GET().build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    GateState.Mode mode() {
      return resilience.gate(quota).orElseThrow().mode();
    }

    /** The instance's Redis gate (its store created it on the first call). */
    com.assignr.resilience.redis.internal.RedisRateLimitGate gate() {
      return (com.assignr.resilience.redis.internal.RedisRateLimitGate) store.created(quota).inner;
    }

    /** Waits until what the instance sent without waiting has been applied. */
    void flushed() throws Exception {
      gate().flushed().get(5, TimeUnit.SECONDS);
    }
  }

  /** Counts the store events and lets a test wait for a recovery. */
  static final class Events implements RetryListener {
    final AtomicInteger degraded = new AtomicInteger();
    final AtomicInteger recovered = new AtomicInteger();
    final AtomicInteger closures = new AtomicInteger();
    volatile CountDownLatch recovery = new CountDownLatch(1);

    @Override
    public void onStoreDegraded(String quotaKey, Throwable cause) {
      degraded.incrementAndGet();
    }

    @Override
    public void onStoreRecovered(String quotaKey) {
      recovered.incrementAndGet();
      recovery.countDown();
    }

    @Override
    public void onGateClosed(String quotaKey, Duration closedFor, String reason) {
      closures.incrementAndGet();
    }
  }

  /** A store whose gates measure how long each admission keeps its caller (real time). */
  static final class TimedStore implements GateStore {
    final GateStore inner;
    final LongAccumulator longestAcquireNanos = new LongAccumulator(Math::max, 0);
    final AtomicInteger acquires = new AtomicInteger();
    final java.util.List<TimedGate> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    TimedStore(GateStore inner) {
      this.inner = inner;
    }

    void resetTimings() {
      longestAcquireNanos.reset();
      acquires.set(0);
    }

    @Override
    public RateLimitGate gate(Context context) {
      TimedGate gate = new TimedGate(inner.gate(context));
      created.add(gate);
      return gate;
    }

    /** The gate this store created for {@code quota}. */
    TimedGate created(String quota) {
      return created.stream().filter(g -> g.quotaKey().equals(quota)).findFirst().orElseThrow();
    }

    final class TimedGate implements RateLimitGate {
      final RateLimitGate inner;

      TimedGate(RateLimitGate inner) {
        this.inner = inner;
      }

      @Override public String quotaKey() { return inner.quotaKey(); }

      @Override
      public Admission tryAcquire(long nowNanos, long maxWaitNanos) {
        long start = TimeSource.system().nanoTime();
        try {
          return inner.tryAcquire(nowNanos, maxWaitNanos);
        } finally {
          longestAcquireNanos.accumulate(TimeSource.system().nanoTime() - start);
          acquires.incrementAndGet();
        }
      }

      @Override
      public CompletionStage<Admission> tryAcquireAsync(long nowNanos, long maxWaitNanos) {
        return inner.tryAcquireAsync(nowNanos, maxWaitNanos);
      }

      @Override public boolean admitsWithoutIo() { return inner.admitsWithoutIo(); }
      @Override public void learn(int status, RateLimitInfo info, long nowNanos) { inner.learn(status, info, nowNanos); }
      @Override public GateState state() { return inner.state(); }
    }
  }
}
