package com.assignr.resilience.workflows;

import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Resumable, quota-aware walks over an Assignr collection: pages of {@code limit} 50 (Assignr's
 * maximum, so the fewest requests), following HAL {@code _links.next}, with a {@link ResumeToken}
 * after every page.
 *
 * <pre>{@code
 * Paging paging = Paging.builder().maxQuotaWait(Paging.MAX_QUOTA_WAIT).timeSource(resilience.timeSource()).build();
 * PageCursor<JsonNode> games = saved == null
 *     ? paging.start(base + "/sites/1/games", source)
 *     : paging.resume(ResumeToken.parse(saved), source);
 * for (Page<JsonNode> page; (page = games.nextPage()) != null; ) {
 *   store(page.records());
 *   save(games.token().asString());                  // after the page is stored
 * }
 * games.paused().ifPresent(p -> scheduleAt(p.retryAt(), p.token().asString()));
 * }</pre>
 *
 * <h2>Why a sync needs this, with numbers</h2>
 *
 * <p>Assignr allows 5000 requests per hour (and 500 per 5 minutes, 180 per minute). A season's
 * sync of a large site — games, assignments, officials, 50 to a page — can need more. The
 * adapters wait out the short windows themselves (their cap on a server-directed wait is about a
 * minute), but not the hourly one: they give up at once with {@link
 * com.assignr.resilience.RateLimitedException#retryAt()}, the instant a request would be admitted
 * again. A hand-written paging loop then starts over, and pays the pages it had read again.
 *
 * <p>The cursor catches that give-up on a page and either
 *
 * <ul>
 *   <li>waits until {@code retryAt} through the library's {@link TimeSource} (never {@code
 *       Thread.sleep}), when that is at most {@link #maxQuotaWait()} away, and fetches the same
 *       page again; or
 *   <li>stops cleanly: iteration ends, {@link PageCursor#paused()} says until when, and {@link
 *       PageCursor#token()} says where to go on. A job restarted from the token fetches the page
 *       that was refused, and no page delivered before it.
 * </ul>
 *
 * <p>The refused page costs nothing: a 429 is not counted by Assignr, and a gate that knew the
 * window was spent refused it without sending anything. So a sync of three hours' budget takes
 * about two waits and no extra requests, and its elapsed time is close to the ideal the windows
 * allow (the examples module measures it).
 *
 * <p>Any other failure is thrown as it came (the {@link java.util.Iterator} methods wrap it in
 * {@link java.io.UncheckedIOException}); the token still says where to go on, and asking the
 * cursor again fetches the same page.
 * {@code limit=50} is added to the first URL when it has no {@code limit}, and to a next link that
 * lost it (a page size that changed between pages would skip or repeat records). Immutable and
 * thread-safe; a cursor is for one thread.
 */
public final class Paging {
  /** Assignr's largest page, and the default: the fewest requests per record. */
  public static final int MAX_LIMIT = 50;
  /** The longest {@link #maxQuotaWait()}: Assignr's longest window is an hour (with a margin). */
  public static final Duration MAX_QUOTA_WAIT = Duration.ofSeconds(3660);

  private final int limit;
  private final Duration maxQuotaWait;
  private final TimeSource time;

  private Paging(Builder b) {
    this.limit = b.limit;
    this.maxQuotaWait = b.maxQuotaWait;
    this.time = b.time;
  }

  /** @return a builder: limit 50, no waiting for the quota (stop with a token), the system clock */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding these settings */
  public Builder toBuilder() {
    return new Builder().limit(limit).maxQuotaWait(maxQuotaWait).timeSource(time);
  }

  /** @return records per page asked for, 1 to 50 */
  public int limit() {
    return limit;
  }

  /** @return how long a cursor may wait for the rate limit's reset before it stops with a token */
  public Duration maxQuotaWait() {
    return maxQuotaWait;
  }

  /** @return where waits and the clock go through */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * A cursor from the collection's first page.
   *
   * @param collectionUrl e.g. {@code https://api.assignr.com/api/v2/sites/1/games}; {@code
   *     limit} is added unless present (and then at most 50)
   * @param source fetches and reads a page
   * @param <R> a record
   * @return the cursor; nothing is fetched until it is asked for a page
   * @throws IllegalArgumentException if the URL asks for a {@code limit} over 50 (Assignr answers
   *     422)
   */
  public <R> PageCursor<R> start(String collectionUrl, PageSource<R> source) {
    Objects.requireNonNull(collectionUrl, "collectionUrl");
    return new PageCursor<>(this, source, new ResumeToken(Links.withLimit(collectionUrl, limit), 0, 0));
  }

  /**
   * A cursor that goes on where {@code token} stands.
   *
   * @param token a cursor's {@link PageCursor#token()}, possibly saved and {@linkplain
   *     ResumeToken#parse(String) parsed}
   * @param source fetches and reads a page
   * @param <R> a record
   * @return the cursor; a complete token gives a cursor with no pages
   */
  public <R> PageCursor<R> resume(ResumeToken token, PageSource<R> source) {
    Objects.requireNonNull(token, "token");
    return new PageCursor<>(this, source, token.complete() ? token
        : new ResumeToken(Links.withLimit(token.next(), limit), token.pagesRead(), token.recordsRead()));
  }

  @Override
  public String toString() {
    return "Paging{limit=" + limit + ", maxQuotaWait=" + maxQuotaWait + '}';
  }

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private int limit = MAX_LIMIT;
    private Duration maxQuotaWait = Duration.ZERO;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * @param limit records per page, 1 to 50 (default 50)
     * @return this builder
     */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /**
     * @param wait the longest wait for the rate limit's reset ({@code retryAt}) a cursor may take
     *     before fetching the refused page again: zero (the default) to stop at once with a token,
     *     up to {@link #MAX_QUOTA_WAIT} to ride through the hourly window in-process
     * @return this builder
     */
    public Builder maxQuotaWait(Duration wait) {
      this.maxQuotaWait = wait;
      return this;
    }

    /**
     * @param time where the cursor reads the clock and waits: the adapters' {@code
     *     AssignrResilience.timeSource()} (tests: the testkit's {@code VirtualTime})
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = time;
      return this;
    }

    /**
     * @return the settings
     * @throws InvalidSettingsException naming every setting out of range
     */
    public Paging build() {
      List<InvalidSettingsException.Problem> problems = new ArrayList<>();
      if (limit < 1 || limit > MAX_LIMIT) {
        problems.add(new InvalidSettingsException.Problem("limit",
            "must be between 1 and " + MAX_LIMIT + " (Assignr answers 422 above 50)", Integer.toString(limit)));
      }
      if (maxQuotaWait == null || maxQuotaWait.isNegative() || maxQuotaWait.compareTo(MAX_QUOTA_WAIT) > 0) {
        problems.add(new InvalidSettingsException.Problem("maxQuotaWait",
            "must be between 0 and " + MAX_QUOTA_WAIT.toSeconds() + " s (Assignr's longest window is an hour)",
            String.valueOf(maxQuotaWait)));
      }
      if (time == null) {
        problems.add(new InvalidSettingsException.Problem("timeSource", "must not be null", "null"));
      }
      if (!problems.isEmpty()) throw new InvalidSettingsException("Paging", problems);
      return new Paging(this);
    }
  }
}
