package com.assignr.resilience.redis;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.QuotaKey;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.internal.Checks;
import com.assignr.resilience.redis.internal.RedisLink;
import com.assignr.resilience.redis.internal.RedisRateLimitGate;
import com.assignr.resilience.redis.internal.RedisUris;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GateStore} that keeps each quota's rate-limit gate in Redis, so that several JVMs
 * drawing on one Assignr account share one budget, one closure after a 429, one release order
 * after a reset and one cold-start cap, instead of each spending the quota as if it were alone.
 *
 * <pre>{@code
 * RedisGateStore store = RedisGateStore.builder().uri("redis://redis.internal:6379").build();
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .gateStore(store)
 *     .quotaKey(QuotaKey.fixed("assignr:club-42"))   // the same name on every instance
 *     .build();
 * // ... and store.close() when the application stops.
 * }</pre>
 *
 * <p>Every instance of the fleet must name the quota the same way without sharing a token: use
 * {@link QuotaKey#fixed(String)} (the default key hashes the {@code Authorization} value, which
 * differs per instance once OAuth tokens rotate). The key appears in Redis key names, so it must
 * never be a credential.
 *
 * <p><b>When Redis is slow or gone</b> no call waits for it longer than the store's timeout: {@link
 * Builder#timeout} (default 50 ms), or more on a host whose measured round trips to Redis say it is
 * busy, up to {@link Builder#maxTimeout} (default 500 ms; see {@link #currentTimeout()}). The
 * instance then falls back to its own in-process gate, seeded with the last shared state, logs one
 * WARN, fires {@link com.assignr.resilience.RetryListener#onStoreDegraded}, and rejoins the shared
 * state by itself once Redis answers again ({@code onStoreRecovered}), traffic or not: a timer
 * probes, and a reconnection probes at once. What degraded mode costs: each instance then knows
 * only its own attempts in flight and releases its own waiters after a reset, as separate
 * in-process gates do; so that the fleet still holds, it takes only {@link Builder#degradedShare}
 * (default a quarter) of what the window has above its reserve, and of the cold-start cap, until it
 * rejoins; it still learns the account's real {@code Remaining} from every answer.
 *
 * <p><b>When Redis loses the keys</b> (a {@code FLUSHALL}, an eviction, a restart without
 * persistence), the first instance that asks again puts back what it still knows: the closure and
 * the budget of the window. An admission Redis ran but whose answer came too late holds no place:
 * its member is removed as soon as the store stops waiting for it.
 *
 * <p><b>Redis keys</b>, two per quota, both hash-tagged by the quota so that the scripts work on
 * Redis Cluster: {@code <prefix>:{<quota>}:gate} (a hash: budget, reset, closure, release places)
 * and {@code <prefix>:{<quota>}:inflight} (a sorted set of attempts in flight). Every key has a
 * TTL: nothing outlives the last reset or closure it knows by more than {@link
 * Builder#inFlightLease}, and the attempts of an instance that crashed stop counting after it.
 *
 * <p>Time is Redis's ({@code TIME}), never the instances'. The {@link
 * com.assignr.resilience.TimeSource} of an {@link AssignrResilience} still does the waiting, so it
 * must follow real time (a virtual clock only drives the local fallback). Only this module's
 * tests pass the scripts a time of their own (virtual), to run the testkit's gate contract.
 */
public final class RedisGateStore implements GateStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisGateStore.class);

  private final RedisLink link;
  private final String keyPrefix;
  private final Duration timeout;
  private final Duration maxTimeout;
  private final Duration inFlightLease;
  private final double degradedShare;
  private final Duration probeInterval;
  private final int heldPlaces;
  private final Duration holdFor;
  private final String instance;
  private final AtomicLong sequence = new AtomicLong();

  private RedisGateStore(Builder b, Duration maxTimeout, Duration holdFor, RedisLink link) {
    this.link = link;
    this.keyPrefix = b.keyPrefix;
    this.timeout = b.timeout;
    this.maxTimeout = maxTimeout;
    this.inFlightLease = b.inFlightLease;
    this.degradedShare = b.degradedShare;
    this.probeInterval = b.probeInterval;
    this.heldPlaces = b.heldPlaces;
    this.holdFor = holdFor;
    this.instance = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public RateLimitGate gate(Context context) {
    return new RedisRateLimitGate(context, link, keyPrefix, instance, sequence, inFlightLease, probeInterval,
        degradedShare, heldPlaces, holdFor);
  }

  /** The configured {@link Builder#timeout}: the least a command is given. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * What a command is given now: the smoothed round trip plus the larger of {@link
   * Builder#timeout} and four times the round trips' variation (TCP's retransmission timer), or
   * twice the slowest recent round trip (halving every 30 s) if that is more; at most {@link
   * Builder#maxTimeout}.
   *
   * @return the longest a call waits for Redis now
   */
  public Duration currentTimeout() {
    return Duration.ofNanos(link.timeoutNanos());
  }

  /** The configured {@link Builder#maxTimeout} (or its default): the most a command is given. */
  public Duration maxTimeout() {
    return maxTimeout;
  }

  /** The configured {@link Builder#degradedShare}: the share of a window taken while Redis is away. */
  public double degradedShare() {
    return degradedShare;
  }

  /** The configured {@link Builder#heldPlaces}: the most places one admission may give an instance. */
  public int heldPlaces() {
    return heldPlaces;
  }

  /** The configured {@link Builder#holdFor}: how long an instance admits from places it holds. */
  public Duration holdFor() {
    return holdFor;
  }

  /** The prefix of every Redis key this store writes. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Closes the connection (and the client and its threads, when the store created them); a
   * connection passed in stays open. Gates still in use answer locally from then on.
   */
  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisGateStore{keyPrefix=" + keyPrefix + ", timeout=" + timeout.toMillis() + "ms, now "
        + link.timeoutNanos() / 1_000_000 + "ms}";
  }

  /** Setters only store; {@link #build()} validates everything and names what is wrong. */
  public static final class Builder {
    private RedisURI uri;
    private String uriText;
    private ClientResources resources;
    private StatefulRedisConnection<String, String> connection;
    private Duration timeout = Duration.ofMillis(50);
    /** Null: the default, 500 ms or the timeout if that is longer. */
    private Duration maxTimeout;
    private double degradedShare = 0.25;
    private Duration connectTimeout = Duration.ofSeconds(1);
    private String keyPrefix = "assignr-resilience";
    private Duration inFlightLease = Duration.ofSeconds(30);
    private Duration probeInterval = Duration.ofMillis(500);
    private int heldPlaces = 8;
    /** Null: the default, 1 s or half the in-flight lease if that is shorter. */
    private Duration holdFor;
    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(1);
    private boolean callersTime;

    private static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofMillis(500);

    private Builder() {}

    /**
     * Where Redis is, e.g. {@code "redis://redis.internal:6379"} (Lettuce's URI syntax, {@code
     * rediss://} for TLS). The store then creates its own client, configured so that it never
     * waits: commands are rejected at once while disconnected (not buffered and replayed later),
     * time out after {@link #timeout}, and the connection is re-established in the background.
     */
    public Builder uri(String uri) { this.uriText = uri; this.uri = null; return this; }

    /** Where Redis is, as a Lettuce {@link RedisURI}; see {@link #uri(String)}. */
    public Builder uri(RedisURI uri) { this.uri = uri; this.uriText = null; return this; }

    /**
     * The event loops and timers for the store's own client, e.g. {@code yourClient.getResources()}
     * to share those of a client you already have. Default: small ones of its own (one I/O thread).
     */
    public Builder clientResources(ClientResources resources) { this.resources = resources; return this; }

    /**
     * A connection of yours instead of a URI (e.g. {@code yourClient.connect()}); it stays yours
     * and is not closed by {@link RedisGateStore#close()}. No call waits for it longer than
     * {@link #timeout} either, but its client's options decide what happens while Redis is away:
     * configure {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)}, or commands are
     * buffered (the scripts ignore those that arrive after their caller stopped waiting).
     */
    public Builder connection(StatefulRedisConnection<String, String> connection) {
      this.connection = connection;
      return this;
    }

    /**
     * The headroom a command is given over the round trip the store measures, before the instance
     * answers from its local gate: each command waits at most the smoothed round trip plus the
     * larger of this and four times the round trips' variation (TCP's retransmission timer, RFC
     * 6298), up to {@link #maxTimeout}. On a quiet host with a sub-millisecond round trip that is
     * this; on a busy one it grows with what is measured. Default 50 ms; between 1 ms and 10 s.
     */
    public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

    /**
     * The longest a call waits for Redis, however slow the measured round trips: the bound on what
     * a Redis that died costs a call on a busy host. Default 500 ms (or the {@link #timeout}, if
     * that is longer); between the timeout and 10 s. Equal to the timeout for a fixed one (the
     * behaviour before issue 21).
     */
    public Builder maxTimeout(Duration timeout) { this.maxTimeout = timeout; return this; }

    /**
     * While this instance cannot reach Redis, the share of the window it takes: of what is left
     * above the reserve, and of the cold-start cap, rounded up (at least one request). The other
     * instances keep spending the same account meanwhile, and an instance that starts without Redis
     * has never heard of them; 1 lets it take everything, as if it were alone. Default 0.25: a fleet
     * of up to four that all lose Redis together stays inside the budget. Between 0.01 and 1.
     */
    public Builder degradedShare(double share) { this.degradedShare = share; return this; }

    /**
     * How long {@link #build()} waits for the first connection (and for loading the scripts); if
     * Redis is not there by then, the gates start degraded and the store keeps trying. Default
     * 1 s; at most 1 minute.
     */
    public Builder connectTimeout(Duration timeout) { this.connectTimeout = timeout; return this; }

    /** The prefix of every key. Default {@code "assignr-resilience"}; no braces. */
    public Builder keyPrefix(String prefix) { this.keyPrefix = prefix; return this; }

    /**
     * How long an admitted attempt counts as in flight at most: its answer normally ends it sooner;
     * the attempts of an instance that crashed stop counting after this. Default 30 s; between
     * 100 ms and 1 hour.
     */
    public Builder inFlightLease(Duration lease) { this.inFlightLease = lease; return this; }

    /**
     * While degraded, how often at most an instance asks Redis whether it is back (one small
     * script, never on a caller's time): first 100 ms after the failure (most stalls are over by
     * then), then twice as long each time, up to this; and at once when the connection is made
     * again. Probes run on a timer, so an idle instance rejoins too, and its {@code GateState}
     * (a health check) tells the truth within this of Redis answering again. Default 500 ms;
     * between 10 ms and 1 minute.
     */
    public Builder probeInterval(Duration interval) { this.probeInterval = interval; return this; }

    /**
     * The most places one admission may give this instance to hold (Doorman's and Envoy's quota
     * leases): while the window's budget is known and far from spent, the instance admits from
     * them for {@link #holdFor} without a round trip to Redis, and asks for the next ones before
     * they run out. The script gives at most a quarter of what is spare above the reserve and the
     * attempts in flight, so the places shrink to one as {@code Remaining} falls, and none while
     * the budget is unknown (a cold start) or with pacing. Held places count as in flight for the
     * whole fleet from the moment they are given: they never let the fleet spend more than the
     * window has. What they cost: a closure this instance has not heard of yet (another
     * instance's 429) lets it send at most the places it holds, for at most the hold; its own 429,
     * or any reply showing the gate closed, ends them at once. Default 8; 1 turns held places
     * off (every admission is a round trip); at most 64.
     */
    public Builder heldPlaces(int places) { this.heldPlaces = places; return this; }

    /**
     * How long an instance admits from places it holds ({@link #heldPlaces}); then the unused go
     * back, and those whose attempts still run count as in flight for the {@link #inFlightLease}.
     * If the instance dies, its places stop counting twice this after they were given. Default
     * 1 s (or half the in-flight lease, if that is shorter); between 10 ms and 1 minute, and at
     * most half the in-flight lease.
     */
    public Builder holdFor(Duration hold) { this.holdFor = hold; return this; }

    /**
     * Tests only (package-private): the scripts take each caller's time (the {@code nowNanos} of
     * its {@code TimeSource}, e.g. the testkit's {@code VirtualTime}) instead of Redis's {@code
     * TIME}, and commands carry no deadline, so that a test drives the shared gate's clock as it
     * drives the in-process gate's (the gate contract runs on both). Never in production:
     * instances with skewed clocks would disagree.
     */
    Builder callersTimeForTests() { this.callersTime = true; return this; }

    /**
     * Validates every setting and connects (waiting at most {@link #connectTimeout}).
     *
     * @throws com.assignr.resilience.InvalidSettingsException naming each bad parameter and its
     *     value; a URI is shown without its user info (where it holds the password)
     */
    public RedisGateStore build() {
      Checks c = new Checks("RedisGateStore");
      boolean hasUri = uri != null || uriText != null;
      c.check(hasUri != (connection != null), "uri/connection", hasUri ? "both" : "neither",
          "exactly one must be given");
      c.check(connection == null || resources == null, "clientResources", "set",
          "applies only to the store's own client (a uri), not to a connection passed in");
      RedisURI parsed = uri;
      if (uriText != null) {
        try {
          parsed = RedisURI.create(uriText);
        } catch (RuntimeException e) {
          // Neither the text nor e's message (which quotes it) is shown: both hold the password.
          c.check(false, "uri", RedisUris.redacted(uriText),
              "must be a Redis URI such as redis://host:6379 (" + RedisUris.whyNot(uriText) + ")");
        }
      }
      c.between("timeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
      if (maxTimeout != null) {
        c.between("maxTimeout", maxTimeout, timeout == null ? Duration.ofMillis(1) : timeout, Duration.ofSeconds(10));
      }
      c.check(degradedShare >= 0.01 && degradedShare <= 1, "degradedShare", degradedShare, "must be between 0.01 and 1");
      c.between("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      c.check(keyPrefix != null && !keyPrefix.isBlank() && keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
          "keyPrefix", keyPrefix, "must be non-blank and contain no braces");
      c.between("inFlightLease", inFlightLease, Duration.ofMillis(100), Duration.ofHours(1));
      c.between("probeInterval", probeInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
      c.check(heldPlaces >= 1 && heldPlaces <= 64, "heldPlaces", heldPlaces, "must be between 1 and 64");
      if (holdFor != null) {
        c.between("holdFor", holdFor, Duration.ofMillis(10), Duration.ofMinutes(1));
        c.check(inFlightLease == null || holdFor.multipliedBy(2).compareTo(inFlightLease) <= 0,
            "holdFor", holdFor, "must be at most half the in-flight lease (" + inFlightLease + ")");
      }
      c.throwIfAny();
      Duration maxTimeout = this.maxTimeout != null ? this.maxTimeout : max(DEFAULT_MAX_TIMEOUT, timeout);
      Duration hold = holdFor != null ? holdFor : min(DEFAULT_HOLD, inFlightLease.dividedBy(2));
      if (connection != null) {
        ClientOptions options = connection.getOptions();
        if (options.getDisconnectedBehavior() != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) {
          LOG.warn("The Redis connection given to RedisGateStore buffers commands while it is"
              + " disconnected; no call waits for them longer than {} ms, but configure"
              + " ClientOptions.disconnectedBehavior(REJECT_COMMANDS) so an outage costs nothing", timeout.toMillis());
        }
        if (connection.getOptions().getTimeoutOptions().isTimeoutCommands()) {
          LOG.warn("The Redis connection given to RedisGateStore times its commands out itself; if that"
              + " timeout is shorter than the store's (up to {} ms), its late replies are lost to the"
              + " store's round-trip estimate", maxTimeout.toMillis());
        }
        return new RedisGateStore(this, maxTimeout, hold, new RedisLink(connection, timeout, maxTimeout, connectTimeout, callersTime));
      }
      return new RedisGateStore(this, maxTimeout, hold, ownClient(Objects.requireNonNull(parsed), maxTimeout));
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }

    private RedisLink ownClient(RedisURI target, Duration maxTimeout) {
      // The URI's timeout bounds the connection handshake (HELLO, CLIENT SETINFO): a cold JVM can
      // take longer than the command timeout for it. Commands get the short one from TimeoutOptions.
      RedisURI u = RedisURI.builder(target).withTimeout(connectTimeout).build();
      ClientResources owned = null;
      ClientResources use = resources;
      if (use == null) {
        owned = DefaultClientResources.builder()
            .ioThreadPoolSize(1)
            .computationThreadPoolSize(1)
            // Back within a second of Redis returning, not after Lettuce's default 30 s backoff.
            .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build();
        use = owned;
      }
      RedisClient client = RedisClient.create(use, u);
      client.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          // The store times its commands out itself (RedisLink): Lettuce's timeout is only a backstop,
          // far beyond it, so that it never fails a command the store still waits for, and a late
          // reply still reaches the store (its round trip is measured). Past the lease nothing a
          // reply could say matters: every member it might have added has expired.
          .timeoutOptions(TimeoutOptions.enabled(max(inFlightLease, maxTimeout.multipliedBy(2))))
          .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
          .build());
      return new RedisLink(client, owned, u, timeout, maxTimeout, connectTimeout, callersTime);
    }
  }
}
