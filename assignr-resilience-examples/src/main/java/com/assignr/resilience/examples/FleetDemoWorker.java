package com.assignr.resilience.examples;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.redis.RedisGateStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One instance of the demo's fleet mode: a separate JVM running its share of the job (its sites)
 * through the OkHttp interceptor, with an in-process gate or the fleet's gate in Redis. Started by
 * {@link FleetDemo}: prints {@code READY}, waits for {@code GO}, prints one {@code RESULT} line.
 *
 * <p>Args: mode ({@code local} or {@code redis}), simulator base URL, Redis URI, quota key,
 * instance, instances, workers, pages per site, details per site.
 */
public final class FleetDemoWorker {
  private FleetDemoWorker() {}

  public static void main(String[] args) throws Exception {
    boolean shared = args[0].equals("redis");
    String baseUrl = args[1];
    String redisUri = args[2];
    String quota = args[3];
    int instance = Integer.parseInt(args[4]);
    int instances = Integer.parseInt(args[5]);
    DemoJob.Workload workload = new DemoJob.Workload(Integer.parseInt(args[6]), 50, Integer.parseInt(args[7]),
        Integer.parseInt(args[8]), false);

    RedisGateStore store = shared ? RedisGateStore.builder().uri(redisUri).build() : null;
    DemoMetrics metrics = new DemoMetrics(TimeSource.system());
    AssignrResilience resilience = AssignrResilience.builder()
        .gateStore(store != null ? store : GateStore.local())
        // Every instance must name the account's quota the same way, without sharing a token.
        .quotaKey(QuotaKey.fixed(quota))
        .listener(metrics)
        .throwOnFailure(true)
        .allowInsecureLoopback(true)
        .build();
    ObjectMapper mapper = new ObjectMapper();
    try (AssignrApi api = new OkHttpApi(resilience, "Bearer demo-instance-" + instance, null, null, mapper)) {
      DemoJob job = new DemoJob(api, baseUrl, workload, mapper, () -> { }, instance, instances);
      System.out.println("READY");
      System.out.flush();
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"GO".equals(go)) throw new IllegalStateException("expected GO, got " + go);
      DemoJob.Result result = job.run();
      System.out.printf("RESULT requests=%d rateLimited=%d retries=%d games=%d details=%d failures=%d%n",
          metrics.requests(), metrics.rateLimited(), metrics.retries(), result.gamesSynced(), result.detailsRead(),
          result.failures().size());
      for (String failure : result.failures()) System.out.println("FAILURE " + failure);
      System.out.flush();
    } finally {
      if (store != null) store.close();
    }
    System.exit(0);
  }
}
