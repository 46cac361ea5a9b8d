package com.assignr.resilience;

import com.assignr.resilience.spi.RateLimitGate;

import com.assignr.resilience.internal.Checks;
import java.time.Duration;

/**
 * How the shared rate-limit gate behaves: an immutable value, validated once by {@link
 * Builder#build()}. The defaults suit Assignr's windows (180/60 s, 500/300 s, 5000/3600 s); each is
 * explained on its setter. See {@link RateLimitGate} for the design.
 *
 * <pre>{@code
 * AssignrResilience resilience = AssignrResilience.builder()
 *     .gate(GatePolicy.defaults().toBuilder().reserve(5).pacing(true).build())
 *     .build();
 * }</pre>
 */
public final class GatePolicy {
  /** Assignr's smallest window allows 180 requests; a reserve must leave some of them. */
  static final int MAX_RESERVE = 179;
  static final int MAX_COLD_START_CONCURRENCY = 1000;
  static final Duration MAX_RELEASE_SPACING = Duration.ofSeconds(10);
  static final Duration MAX_CLOSURE_WITHOUT_RESET = Duration.ofHours(1);
  /** The people's share is at most this: the library's callers keep at least half of every window. */
  static final double MAX_INTERACTIVE_SHARE = 0.5;
  /** Shares are applied in parts per million, so that every store computes the same whole numbers. */
  private static final long PPM = 1_000_000L;
  /** Larger limits count as this one (no real window is near it; keeps {@code limit × ppm} exact). */
  private static final long MAX_LIMIT = 1_000_000_000L;

  private static final GatePolicy DEFAULTS = builder().build();
  private static final GatePolicy DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final int reserve;
  private final int coldStartConcurrency;
  private final Duration releaseSpacing;
  private final boolean pacing;
  private final Duration closureWithoutReset;
  private final double interactiveShare;
  private final long interactiveSharePpm;

  private GatePolicy(Builder b) {
    enabled = b.enabled;
    reserve = b.reserve;
    coldStartConcurrency = b.coldStartConcurrency;
    releaseSpacing = b.releaseSpacing;
    pacing = b.pacing;
    closureWithoutReset = b.closureWithoutReset;
    interactiveShare = b.interactiveShare;
    interactiveSharePpm = Math.round(b.interactiveShare * PPM);
  }

  /**
   * The Assignr defaults: enabled, reserve 2, a quarter of every window for the account's people,
   * cold start 10, release spacing 20 ms, no pacing.
   */
  public static GatePolicy defaults() {
    return DEFAULTS;
  }

  /** No gate at all: attempts are only retried, never held back. */
  public static GatePolicy disabled() {
    return DISABLED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether calls pass through a gate at all. */
  public boolean enabled() { return enabled; }
  /** Requests per window left unused for the account's other traffic. */
  public int reserve() { return reserve; }
  /** Attempts in flight while the gate knows no budget. */
  public int coldStartConcurrency() { return coldStartConcurrency; }
  /** The gap between callers released after the gate reopens. */
  public Duration releaseSpacing() { return releaseSpacing; }
  /** Whether admissions are spread evenly over the window. */
  public boolean pacing() { return pacing; }
  /** How long the gate closes when Assignr says "none left" without saying when that ends. */
  public Duration closureWithoutReset() { return closureWithoutReset; }
  /** The share of every window left to the account's people (Assignr's web app), 0 to 0.5. */
  public double interactiveShare() { return interactiveShare; }

  /**
   * The requests a window keeps unused, for a window of {@code limit} requests: the larger of
   * {@link #reserve()} and {@link #interactiveShare()} of the limit, rounded up; the reserve alone
   * while the limit is unknown ({@code limit <= 0}). Every gate store applies this one rule (the Redis
   * scripts compute the same whole number from {@link #interactiveSharePpm()}).
   *
   * @param limit the binding rule's {@code X-Ratelimit-Limit}, or -1 when unknown
   * @return the requests to leave in that window
   */
  public long reserveFor(long limit) {
    return reserveFor(limit, 0);
  }

  /**
   * The requests a window keeps unused once the account's people have used {@code peopleUsed} of
   * it: their share is theirs, so what they spend comes out of it, not out of the gate's part. The
   * larger of {@link #reserve()} and the share less what they used ({@link #reserveFor(long)} when
   * they used nothing). A gate cannot see the people's requests: it infers them from the window's
   * {@code Remaining} falling by more than its own answers and attempts in flight account for,
   * which can only count them short, so the share it keeps errs on the people's side. Every gate
   * store applies this one rule (the Redis scripts compute the same whole number).
   *
   * @param limit the binding rule's {@code X-Ratelimit-Limit}, or -1 when unknown
   * @param peopleUsed the window's requests that were not the gate's own (negative counts as 0)
   * @return the requests to leave in that window
   */
  public long reserveFor(long limit, long peopleUsed) {
    if (limit <= 0 || interactiveSharePpm == 0) return reserve;
    long l = Math.min(limit, MAX_LIMIT);
    long share = (l * interactiveSharePpm + PPM - 1) / PPM;
    return Math.max(reserve, share - Math.max(0, peopleUsed));
  }

  /** {@link #interactiveShare()} in parts per million, as the gate stores compute with it. */
  public long interactiveSharePpm() { return interactiveSharePpm; }

  @Override
  public String toString() {
    if (!enabled) return "GatePolicy{disabled}";
    return "GatePolicy{reserve=" + reserve + ", coldStartConcurrency=" + coldStartConcurrency
        + ", releaseSpacing=" + releaseSpacing + (pacing ? ", pacing" : "")
        + ", closureWithoutReset=" + closureWithoutReset + ", interactiveShare=" + interactiveShare + '}';
  }

  /** Setters only store; {@link #build()} validates everything and names what is wrong. */
  public static final class Builder {
    private boolean enabled = true;
    private int reserve = 2;
    private int coldStartConcurrency = 10;
    private Duration releaseSpacing = Duration.ofMillis(20);
    private boolean pacing;
    private Duration closureWithoutReset = Duration.ofMillis(500);
    private double interactiveShare = 0.25;

    private Builder() {}

    private Builder(GatePolicy p) {
      enabled = p.enabled;
      reserve = p.reserve;
      coldStartConcurrency = p.coldStartConcurrency;
      releaseSpacing = p.releaseSpacing;
      pacing = p.pacing;
      closureWithoutReset = p.closureWithoutReset;
      interactiveShare = p.interactiveShare;
    }

    /** Whether the shared rate-limit gate is used. Default true; off leaves retries only. */
    public Builder enabled(boolean enabled) { this.enabled = enabled; return this; }

    /**
     * Requests per window left unused for the account's other traffic (Assignr counts the web
     * app's requests too). Default 2; at most 179, since Assignr's smallest window has 180.
     */
    public Builder reserve(int reserve) { this.reserve = reserve; return this; }

    /**
     * While the gate knows no budget (at start, or after a window reset), at most this many
     * attempts are in flight; their answers teach it the budget. Default 10.
     */
    public Builder coldStartConcurrency(int attempts) { this.coldStartConcurrency = attempts; return this; }

    /**
     * The gap between callers released after the gate reopens. Default 20 ms: 180 waiting callers
     * return over 3.6 s instead of in one burst. At most 10 s.
     */
    public Builder releaseSpacing(Duration spacing) { this.releaseSpacing = spacing; return this; }

    /** Spread admissions evenly over what is left of the window instead of bursting. Default false. */
    public Builder pacing(boolean pacing) { this.pacing = pacing; return this; }

    /**
     * How long the gate stays closed after a 429, or a {@code Remaining} at the reserve, that
     * carries no usable reset time ({@code Reset-Seconds-Remaining}, {@code Reset} with a {@code
     * Date}, or {@code Retry-After}). Default 500 ms, the same as the first backoff; at most 1 hour.
     */
    public Builder closureWithoutReset(Duration closure) { this.closureWithoutReset = closure; return this; }

    /**
     * The share of every window left to the account's people: Assignr counts the web app's
     * requests in the same windows as the API's, so a sync that spends each window down to {@link
     * #reserve} locks the club's assignors out of Assignr while it runs. The gate closes once {@code
     * Remaining} reaches this share of the binding rule's {@code X-Ratelimit-Limit} (rounded up), or
     * the reserve if that is larger: with the default 0.25, 45 of every 180 per minute, 125 of 500
     * per 5 minutes, 1250 of 5000 per hour. Why a quarter: one person working steadily in the web
     * app makes about one request every 2 s (30 a minute, a sixth of the 180); a quarter leaves that
     * and room for a second, and a sync still gets three quarters of the account. 0 leaves only the
     * reserve (the behaviour before this setting). Between 0 and 0.5.
     */
    public Builder interactiveShare(double share) { this.interactiveShare = share; return this; }

    /**
     * Validates every setting.
     *
     * @throws IllegalArgumentException naming each bad parameter and its value
     */
    public GatePolicy build() {
      Checks c = new Checks("GatePolicy");
      c.check(reserve >= 0 && reserve <= MAX_RESERVE, "reserve", reserve,
          "must be between 0 and " + MAX_RESERVE + " (Assignr's smallest window allows 180)");
      c.check(coldStartConcurrency >= 1 && coldStartConcurrency <= MAX_COLD_START_CONCURRENCY,
          "coldStartConcurrency", coldStartConcurrency, "must be between 1 and " + MAX_COLD_START_CONCURRENCY);
      c.between("releaseSpacing", releaseSpacing, Duration.ZERO, MAX_RELEASE_SPACING);
      c.positive("closureWithoutReset", closureWithoutReset);
      c.atMost("closureWithoutReset", closureWithoutReset, MAX_CLOSURE_WITHOUT_RESET);
      c.check(interactiveShare >= 0 && interactiveShare <= MAX_INTERACTIVE_SHARE, "interactiveShare", interactiveShare,
          "must be between 0 and " + MAX_INTERACTIVE_SHARE + " (the share of each window left to the account's people)");
      c.throwIfAny();
      return new GatePolicy(this);
    }
  }
}
