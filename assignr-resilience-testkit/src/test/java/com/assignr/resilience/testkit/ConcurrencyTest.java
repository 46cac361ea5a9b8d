package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrencyTest {

  @Test
  void eightThreadsOfFiftyAgainstAWindowOfAHundredGetExactlyAHundredThrough() throws Exception {
    MutableClock clock = MutableClock.at("2025-09-06T10:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (AssignrSimulator sim = AssignrSimulator.builder().clock(clock)
        .rateLimits(RateLimitRule.of(100, Duration.ofSeconds(60))).start()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Http http = Http.plain();
        admitted.add(pool.submit(() -> {
          go.await();
          int ok = 0;
          for (int i = 0; i < 50; i++) {
            if (http.get(sim.baseUrl() + "/current_account").statusCode() != 429) {
              ok++;
            }
          }
          return ok;
        }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : admitted) {
        total += f.get();
      }
      assertEquals(100, total);
      assertEquals(400, sim.stats().totalRequests());
      assertEquals(300, sim.stats().rateLimited());
      assertEquals(300, sim.journal().countStatus(429));
    } finally {
      pool.shutdownNow();
    }
  }
}
