package com.assignr.resilience.redis.internal;

import com.assignr.resilience.TimeSource;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one connection to Redis, shared by the gates of every quota: runs a script with
 * {@code EVALSHA} (falling back to {@code EVAL} once after a restart emptied the script cache),
 * bounds every command by the store's timeout, connects again when the first connection could not
 * be made, and estimates how far Redis's clock ({@code TIME}) is from this JVM's monotonic one.
 *
 * <h2>Why estimate Redis's clock at all?</h2>
 *
 * <p>A command that timed out here is still executed by Redis once it gets to it (a slow server
 * answers late, it does not forget). An admission that ran after its caller stopped waiting would
 * hold a place nobody uses; a late answer would teach the fleet a stale budget. So every script
 * carries the Redis instant at which its caller stops waiting (the send time, mapped onto Redis's
 * clock, plus the timeout) and changes nothing when it starts later. The mapping is taken from the
 * {@code TIME} in the replies and errs only late, by at most one round trip (tens of microseconds
 * on loopback); a reply that nevertheless says EXPIRED within the timeout is sent once more. The
 * gate's decisions never use it: they read {@code TIME}.
 *
 * <h2>Whose timeout?</h2>
 *
 * <p>The store's, and it is measured (issue 21). Every reply's round trip, from the send to the
 * reply reaching this JVM (the Lettuce thread hand-offs included: what a caller waits), feeds a
 * smoothed estimate as TCP's retransmission timer does (RFC 6298: {@code srtt + 4 × rttvar}, with
 * the configured {@code timeout} as the least headroom over {@code srtt}, as RFC 6298 has a
 * minimum), and a peak (twice the slowest recent round trip, halving every 30 s: bursts); a
 * command is given the larger, never more than {@code maxTimeout}. On a quiet host that is the configured 50 ms; on a busy one whose round trips
 * take tens of milliseconds it grows with them, so a loaded host does not degrade the fleet's gate
 * by itself; the price is that a Redis that died on such a host is noticed later (at most {@code
 * maxTimeout}). Lettuce's own command timeout is only a backstop far beyond that (the in-flight
 * lease): it must not fail a command before the store is done with it, and a late reply is still
 * a round trip measured.
 *
 * <p>Real time only: timeouts, the offset and the probe interval are read from {@link
 * TimeSource#system()}, never from a gate's (possibly virtual or skewed) time source.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private static final TimeSource REAL = TimeSource.system();

  private final RedisClient ownedClient;
  private final ClientResources ownedResources;
  private final RedisURI uri;
  private final StatefulRedisConnection<String, String> userConnection;
  /** The shortest and the longest a command is given (the measured estimate lies between). */
  private final long minTimeoutNanos;
  private final long maxTimeoutNanos;
  /** RFC 6298's smoothed round trip and its variation (real nanos); 0 before the first sample. */
  private long srttNanos;
  private long rttvarNanos;
  /** The slowest recent round trip, and when it was measured: it halves every PEAK_HALF_LIFE. */
  private long peakNanos;
  private long peakAtNanos;
  private static final long PEAK_HALF_LIFE_NANOS = TimeUnit.SECONDS.toNanos(30);
  private volatile long timeoutNanos;
  /** Told each time a connection to Redis is (re-)established, e.g. the gates' rejoin probes. */
  private final java.util.List<Runnable> connectedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Tests only: the scripts take the callers' time, so no deadline can be set on Redis's clock. */
  private final boolean callersTime;
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicBoolean warnedConnect = new AtomicBoolean();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile RedisAsyncCommands<String, String> commands;
  private volatile boolean closed;
  /** Redis µs minus this JVM's µs (real nanoTime / 1000), an upper bound; valid once offsetKnown. */
  private volatile long offsetMicros;
  private volatile boolean offsetKnown;
  private volatile long offsetTakenNanos;
  private static final long OFFSET_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * A link over a client of our own (owned resources are shut down on close, else left alone).
   * {@code callersTime}: tests only, the gates pass the scripts their callers' time (see {@link
   * #callersTime()}).
   */
  public RedisLink(RedisClient client, ClientResources ownedResources, RedisURI uri, Duration timeout,
      Duration maxTimeout, Duration connectTimeout, boolean callersTime) {
    this.ownedClient = client;
    this.ownedResources = ownedResources;
    this.uri = uri;
    this.userConnection = null;
    this.minTimeoutNanos = timeout.toNanos();
    this.maxTimeoutNanos = Math.max(minTimeoutNanos, maxTimeout.toNanos());
    this.timeoutNanos = minTimeoutNanos;
    this.callersTime = callersTime;
    // Lettuce re-establishes a lost connection by itself: tell the gates at once, not at their next probe.
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        connected();
      }
    });
    try {
      connect().get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still connecting: the gates answer locally meanwhile
    }
  }

  /** A link over the user's connection, which stays theirs (never closed here). */
  public RedisLink(StatefulRedisConnection<String, String> connection, Duration timeout, Duration maxTimeout,
      Duration connectTimeout, boolean callersTime) {
    this.ownedClient = null;
    this.ownedResources = null;
    this.uri = null;
    this.userConnection = connection;
    this.minTimeoutNanos = timeout.toNanos();
    this.maxTimeoutNanos = Math.max(minTimeoutNanos, maxTimeout.toNanos());
    this.timeoutNanos = minTimeoutNanos;
    this.callersTime = callersTime;
    try {
      warmUp(connection.async()).get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Redis is slow or away: the first calls degrade and the probes bring the gates back
    }
    this.connection = connection;
    this.commands = connection.async();
  }

  /**
   * The time a command is given now, in nanoseconds: {@code srtt + max(4 × rttvar, timeout)}, or
   * twice the slowest recent round trip if that is more (it halves every 30 s), at most {@code
   * maxTimeout}; {@code timeout} before the first reply. Read when a command is sent.
   */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** The smoothed round trip measured so far (real nanos), 0 before the first reply. */
  public synchronized long smoothedRoundTripNanos() {
    return srttNanos;
  }

  /**
   * One round trip measured (RFC 6298, section 2, with its gains 1/8 and 1/4), and the slowest
   * recent one. Why the peak: a fleet's traffic comes in bursts at each window's opening, and the
   * smoothed estimate learns a burst's slow round trips only from the burst itself (the quiet
   * seconds before it teach it the fast ones); twice the slowest round trip of the last minute or
   * so keeps the next burst from tripping over the same host.
   */
  private synchronized void sample(long rttNanos) {
    if (rttNanos < 0) return;
    long now = REAL.nanoTime();
    long peak = decayedPeak(now);
    if (rttNanos >= peak) {
      peakNanos = rttNanos;
      peakAtNanos = now;
    }
    if (srttNanos == 0) {
      srttNanos = Math.max(1, rttNanos);
      rttvarNanos = rttNanos / 2;
    } else {
      rttvarNanos += (Math.abs(srttNanos - rttNanos) - rttvarNanos) / 4;
      srttNanos += (rttNanos - srttNanos) / 8;
    }
    // Headroom over the smoothed round trip: four variations, or the configured timeout if more (a
    // steady 80 ms round trip has almost no variation, and one jitter must not trip it).
    long rto = srttNanos + Math.max(4 * rttvarNanos, minTimeoutNanos);
    timeoutNanos = Math.min(maxTimeoutNanos, Math.max(rto, 2 * decayedPeak(now)));
  }

  private long decayedPeak(long now) {
    long halvings = (now - peakAtNanos) / PEAK_HALF_LIFE_NANOS;
    return halvings >= 63 ? 0 : peakNanos >> halvings;
  }

  /** {@code listener} runs (on a Lettuce thread: it must not block) each time a connection is made. */
  public void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  private void connected() {
    for (Runnable listener : connectedListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("A Redis reconnection listener failed", e);
      }
    }
  }

  /**
   * Whether the gates pass the scripts their callers' time ({@code nowNanos}, e.g. a test's
   * virtual time) instead of letting them read Redis's {@code TIME}: tests only, for a
   * deterministic shared gate. Commands then carry no deadline (it would be on Redis's clock).
   */
  public boolean callersTime() {
    return callersTime;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Runs {@code script}; the future fails after the timeout, or at once when Redis is not
   * connected. Never blocks the calling thread. The link owns {@code args[0]}, the deadline.
   */
  public CompletableFuture<List<Object>> run(GateScripts.Script script, String[] keys, String[] args) {
    CompletableFuture<List<Object>> result = new CompletableFuture<>();
    RedisAsyncCommands<String, String> c = commands;
    if (c == null || closed) {
      result.completeExceptionally(new RedisException(closed ? "the gate store is closed" : "not connected to Redis"));
      // Opening a connection does some work on the calling thread (tens of ms, measured): never a caller's.
      if (!closed && ownedClient != null && !connecting.get()) CompletableFuture.runAsync(this::connect);
      return result;
    }
    long timeout = timeoutNanos;
    send(c, script, keys, args, result, true, timeout);
    return result.orTimeout(timeout, TimeUnit.NANOSECONDS);
  }

  private void send(RedisAsyncCommands<String, String> c, GateScripts.Script script, String[] keys,
      String[] args, CompletableFuture<List<Object>> result, boolean mayResend, long timeout) {
    long sent = REAL.nanoTime();
    args[0] = callersTime ? "0" : Long.toString(deadlineMicros(sent, timeout));
    try {
      c.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args).whenComplete((reply, error) -> {
        if (error != null && unwrap(error) instanceof RedisNoScriptException) {
          // Redis restarted (or flushed its scripts): send the text once, it is cached again.
          c.<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args).whenComplete((again, failure) ->
              settle(c, script, keys, args, result, mayResend, sent, again, failure, timeout));
        } else {
          if (error == null) sample(REAL.nanoTime() - sent); // late replies too: they are what a busy host takes
          settle(c, script, keys, args, result, mayResend, sent, reply, error, timeout);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  private void settle(RedisAsyncCommands<String, String> c, GateScripts.Script script, String[] keys,
      String[] args, CompletableFuture<List<Object>> result, boolean mayResend, long sent,
      List<Object> reply, Throwable error, long timeout) {
    if (error != null) {
      result.completeExceptionally(unwrap(error));
      return;
    }
    boolean expired = observe(reply, sent);
    if (expired && mayResend && !result.isDone()) {
      // Answered in time, yet Redis found it late: the clock estimate was behind (it is fresh now).
      send(c, script, keys, args, result, false, timeout);
      return;
    }
    result.complete(reply);
  }

  /** Removes finished attempts from an in-flight set; fire and forget, bounded by the timeout. */
  public CompletableFuture<Long> zrem(String key, String... members) {
    RedisAsyncCommands<String, String> c = commands;
    if (c == null || closed) {
      return CompletableFuture.failedFuture(new RedisException("not connected to Redis"));
    }
    try {
      long sent = REAL.nanoTime();
      return c.zrem(key, members).toCompletableFuture().thenApply(n -> {
        sample(REAL.nanoTime() - sent);
        return n;
      }).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The Redis instant (µs) at which a command sent at {@code sentNanos} stops being worth running:
   * the send time on Redis's clock plus the timeout; 0 (no deadline) until the offset is known.
   */
  private long deadlineMicros(long sentNanos, long timeout) {
    if (!offsetKnown) return 0;
    return sentNanos / 1000 + offsetMicros + timeout / 1000;
  }

  /**
   * Takes Redis's clock from a reply's {@code now}. Redis read its clock between the send and this
   * reply, so {@code now - sent} is an upper bound of the offset: a deadline from it is never
   * early, only late by one round trip. The tightest bound is kept, except that an estimate older
   * than {@link #OFFSET_REFRESH_NANOS} (clocks drift, and step) or one a reply proved too low
   * (EXPIRED) is replaced.
   *
   * @return whether the reply says EXPIRED
   */
  private boolean observe(List<Object> reply, long sentNanos) {
    if (callersTime || reply == null || reply.size() <= GateScripts.NOW_MICROS) return false;
    Object now = reply.get(GateScripts.NOW_MICROS);
    boolean expired = Long.valueOf(GateScripts.EXPIRED).equals(reply.get(GateScripts.CODE));
    if (now instanceof Long) {
      long bound = (Long) now - sentNanos / 1000;
      long at = REAL.nanoTime();
      if (!offsetKnown || expired || bound < offsetMicros || at - offsetTakenNanos > OFFSET_REFRESH_NANOS) {
        offsetMicros = bound;
        offsetTakenNanos = at;
        offsetKnown = true;
      }
    }
    return expired;
  }

  /**
   * Loads the scripts into Redis's cache and reads its clock, before the first call needs them:
   * the first script of a cold JVM otherwise spends its 50 ms on class loading and a NOSCRIPT
   * round trip, and the instance would start degraded.
   */
  private CompletableFuture<Void> warmUp(RedisAsyncCommands<String, String> c) {
    long sent = REAL.nanoTime();
    CompletableFuture<?> time = c.time().toCompletableFuture().thenAccept(t -> {
      if (t == null || t.size() < 2) return;
      // A cold JVM's first round trip: the estimate starts from it and learns the warm ones.
      sample(REAL.nanoTime() - sent);
      offsetMicros = Long.parseLong(t.get(0)) * 1_000_000L + Long.parseLong(t.get(1)) - sent / 1000;
      offsetTakenNanos = REAL.nanoTime();
      offsetKnown = true;
    });
    CompletableFuture<?> admit = c.scriptLoad(GateScripts.ADMIT.text()).toCompletableFuture();
    CompletableFuture<?> learn = c.scriptLoad(GateScripts.LEARN.text()).toCompletableFuture();
    CompletableFuture<?> settle = c.scriptLoad(GateScripts.SETTLE.text()).toCompletableFuture();
    return CompletableFuture.allOf(time, admit, learn, settle).handle((ignored, failure) -> null);
  }

  /**
   * Starts opening the connection of a link over our own client, unless one exists or is being
   * opened; never blocks.
   * Lettuce reconnects an established connection by itself; this covers a Redis that was not
   * there when the store was built.
   */
  public CompletableFuture<Void> connect() {
    if (ownedClient == null || commands != null || closed || !connecting.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.whenComplete((ignored, failure) -> connecting.set(false));
    ownedClient.connectAsync(StringCodec.UTF8, uri).whenComplete((c, error) -> {
      if (error != null) {
        if (warnedConnect.compareAndSet(false, true)) {
          LOG.warn("Cannot connect to Redis at {}:{} ({}); the rate-limit gates answer locally and"
              + " try again", uri.getHost(), uri.getPort(), unwrap(error).toString());
        }
        done.complete(null);
        return;
      }
      if (closed) {
        c.closeAsync();
        done.complete(null);
        return;
      }
      if (warnedConnect.compareAndSet(true, false)) {
        LOG.info("Connected to Redis at {}:{}", uri.getHost(), uri.getPort());
      }
      warmUp(c.async()).whenComplete((ignored, failure) -> {
        connection = c;
        commands = c.async();
        done.complete(null);
        connected();
      });
    });
    return done;
  }

  /** The failure inside a future's wrappers. */
  public static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> c = connection;
    if (c != null && c != userConnection) c.close();
    if (ownedClient != null) ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownedResources != null) ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
