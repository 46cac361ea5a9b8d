package com.assignr.resilience.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisServer;

/**
 * A real redis-server for the tests, from the binary that {@code org.signal:embedded-redis} ships:
 * loopback only, on a random free port, nothing persisted. It can be stopped and started again on
 * the same port (an outage and a restart), and paused with SIGSTOP (a Redis that stops answering
 * without closing its connections). An admin connection of its own looks at keys.
 */
final class TestRedis implements AutoCloseable {
  private final int port;
  private RedisServer server;
  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> admin;

  private TestRedis(int port) {
    this.port = port;
  }

  static TestRedis start() {
    RuntimeException last = null;
    for (int i = 0; i < 3; i++) { // a free port can be taken between the probe and the bind
      TestRedis redis = new TestRedis(freePort());
      try {
        redis.startServer();
        return redis;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  /** A Redis that is not running yet, on a port that is free now. */
  static TestRedis notStarted() {
    return new TestRedis(freePort());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void startServer() {
    server = RedisServer.builder()
        .port(port)
        .setting("bind 127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("notify-keyspace-events Ex")
        .setting("hz 50") // expire keys within ~20 ms of their TTL, for the expiry tests
        .build();
    server.start();
  }

  synchronized void stopServer() {
    if (server != null && server.isActive()) server.stop();
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** A connection for looking at keys (Lettuce defaults: it may wait, unlike the store's). */
  synchronized RedisCommands<String, String> admin() {
    if (admin == null) {
      adminClient = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
          .withTimeout(Duration.ofSeconds(5)).build());
      admin = adminClient.connect();
    }
    return admin.sync();
  }

  /** Stops the process without closing its sockets: every command waits until {@link #resume()}. */
  void pause() throws Exception {
    paused = true;
    signal("-STOP");
  }

  void resume() throws Exception {
    signal("-CONT");
    paused = false;
  }

  private volatile boolean paused;

  private void signal(String signal) throws Exception {
    String pid = pid();
    Process kill = new ProcessBuilder("kill", signal, pid).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + pid + " failed");
    }
  }

  private String pid;

  private synchronized String pid() {
    if (pid == null) {
      String info = admin().info("server");
      pid = info.lines().filter(l -> l.startsWith("process_id:")).findFirst()
          .orElseThrow().substring("process_id:".length()).trim();
    }
    return pid;
  }

  /** Listens to the keys Redis expires from now on (keyspace notifications), for awaiting them. */
  ExpiryWatch watchExpiries() {
    return new ExpiryWatch(adminClient(), port, admin());
  }

  /**
   * Listens to every change of {@code key} from now on (keyspace notifications, switched on here),
   * for awaiting a condition on it without polling.
   */
  KeyWatch watchKey(String key) {
    admin().configSet("notify-keyspace-events", "KEA");
    return new KeyWatch(adminClient(), port, key);
  }

  private RedisClient adminClient() {
    admin();
    return adminClient;
  }

  @Override
  public synchronized void close() {
    if (paused) { // a stopped process never handles the SIGTERM that stopServer() sends
      try {
        resume();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (admin != null) admin.close();
    if (adminClient != null) adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    stopServer();
  }

  /** Changes of one key, for awaiting a condition on it without polling. */
  static final class KeyWatch implements AutoCloseable {
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private long changes;

    KeyWatch(RedisClient client, int port, String key) {
      pubSub = client.connectPubSub(RedisURI.create("redis://127.0.0.1:" + port));
      pubSub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          synchronized (KeyWatch.this) {
            changes++;
            KeyWatch.this.notifyAll();
          }
        }
      });
      pubSub.sync().subscribe("__keyspace@0__:" + key);
    }

    /**
     * Waits (at most {@code timeout}, real time) until {@code holds} is true, looking again after
     * each change of the key.
     */
    boolean await(java.util.function.BooleanSupplier holds, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long seen;
        synchronized (this) {
          seen = changes;
        }
        if (holds.getAsBoolean()) return true;
        synchronized (this) {
          while (changes == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
          }
        }
      }
    }

    @Override
    public void close() {
      pubSub.close();
    }
  }

  /** Expiry events, for awaiting keys' expiry without polling. */
  static final class ExpiryWatch implements AutoCloseable {
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final RedisCommands<String, String> admin;
    private long expiries;

    ExpiryWatch(RedisClient client, int port, RedisCommands<String, String> admin) {
      this.admin = admin;
      pubSub = client.connectPubSub(RedisURI.create("redis://127.0.0.1:" + port));
      pubSub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          synchronized (ExpiryWatch.this) {
            expiries++;
            ExpiryWatch.this.notifyAll();
          }
        }
      });
      pubSub.sync().subscribe("__keyevent@0__:expired");
    }

    /**
     * Waits (at most {@code timeout}, in real time) until none of {@code keys} exists, looking again
     * after each key Redis expires (an event alone could be an earlier life of the same key's).
     */
    boolean awaitGone(Duration timeout, String... keys) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long seen;
        synchronized (this) {
          seen = expiries;
        }
        if (admin.exists(keys) == 0) return true; // not while holding the lock the listener needs
        synchronized (this) {
          while (expiries == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
          }
        }
      }
    }

    @Override
    public void close() {
      pubSub.close();
    }
  }
}
