package com.assignr.resilience.workflows;

import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.TimeSource;
import com.assignr.resilience.spi.CancellationSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One walk over a collection's pages (see {@link Paging}). Use it as an {@link Iterator} of pages
 * (a failure then arrives as {@link UncheckedIOException}), or call {@link #nextPage()}, which
 * throws the {@link IOException} itself. Iteration ends when the collection is read to its end
 * ({@link #complete()}) or the rate limit stopped it ({@link #paused()}); either way {@link
 * #token()} says where to go on.
 *
 * <p>The token moves when a page is <em>delivered</em>: a job that stores each page and then saves
 * the token never skips a page and, when resumed, never fetches one it stored. For one thread.
 *
 * @param <R> a record
 */
public final class PageCursor<R> implements Iterator<Page<R>> {
  /** Waits for the quota in a row without a page, before the cursor stops anyway. */
  private static final int MAX_WAITS_PER_PAGE = 4;

  private final Paging paging;
  private final PageSource<R> source;
  private ResumeToken token;
  private Page<R> fetched;
  private QuotaPause pause;
  private int quotaWaits;
  private Duration quotaWaited = Duration.ZERO;

  PageCursor(Paging paging, PageSource<R> source, ResumeToken from) {
    this.paging = paging;
    this.source = java.util.Objects.requireNonNull(source, "source");
    this.token = from;
  }

  /**
   * The next page, or null when there is none: the collection is read to its end, or the rate
   * limit stopped the walk ({@link #paused()}).
   *
   * @return the page, now counted in {@link #token()}
   * @throws InterruptedIOException if the thread is interrupted while waiting for the quota
   * @throws IOException as the {@link PageSource} throws (other than a rate-limit give-up)
   */
  public Page<R> nextPage() throws IOException {
    if (!fetch()) return null;
    Page<R> page = fetched;
    fetched = null;
    String current = token.next();
    String next = Links.next(current, page.next());
    if (next != null) {
      next = Links.withLimit(next, paging.limit());
      if (next.equals(current)) throw new IOException("the page's _links.next points to the page itself");
    }
    token = new ResumeToken(next, token.pagesRead() + 1, token.recordsRead() + page.records().size());
    return page;
  }

  /** Fetches the page at the token unless one is fetched already; false at the end or paused. */
  private boolean fetch() throws IOException {
    if (fetched != null) return true;
    if (token.complete() || pause != null) return false;
    int waits = 0;
    while (true) {
      try {
        fetched = source.fetch(token.next());
        if (fetched == null) throw new IOException("the page source returned no page");
        return true;
      } catch (RateLimitedException e) {
        Duration wait = waitFor(e.retryAt());
        if (wait == null || ++waits > MAX_WAITS_PER_PAGE) {
          pause = new QuotaPause(e.retryAt(), token, e);
          return false;
        }
        sleep(wait);
      }
    }
  }

  /** How long to wait before fetching the refused page again, or null to stop. */
  private Duration waitFor(Instant retryAt) {
    if (retryAt == null || paging.maxQuotaWait().isZero()) return null;
    Duration wait = Duration.between(paging.timeSource().clock().instant(), retryAt);
    if (wait.isNegative()) wait = Duration.ZERO;
    return wait.compareTo(paging.maxQuotaWait()) <= 0 ? wait : null;
  }

  private void sleep(Duration wait) throws InterruptedIOException {
    TimeSource time = paging.timeSource();
    try {
      time.sleep(wait.toNanos(), CancellationSignal.NEVER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting "
          + wait.toSeconds() + " s for the rate limit's reset; resume from the cursor's token");
      interrupted.initCause(e);
      throw interrupted;
    }
    quotaWaits++;
    quotaWaited = quotaWaited.plus(wait);
  }

  /**
   * @return whether another page follows (fetching it if needed)
   * @throws UncheckedIOException wrapping the {@link PageSource}'s failure
   */
  @Override
  public boolean hasNext() {
    try {
      return fetch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the next page
   * @throws NoSuchElementException at the end or paused
   * @throws UncheckedIOException wrapping the {@link PageSource}'s failure
   */
  @Override
  public Page<R> next() {
    try {
      Page<R> page = nextPage();
      if (page == null) throw new NoSuchElementException(pause != null ? "paused by the rate limit" : "no more pages");
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The records of the pages still to come, in order, as one lazy stream (the token moves a page
   * at a time, as the stream reaches each page).
   *
   * @return the records
   */
  public Stream<R> records() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
        .flatMap(page -> page.records().stream());
  }

  /** @return where to go on: the next page not yet delivered, and what was delivered before it */
  public ResumeToken token() {
    return token;
  }

  /** @return whether the collection was read to its end */
  public boolean complete() {
    return token.complete();
  }

  /** @return why and until when the rate limit stopped the walk; empty while it goes on or when complete */
  public Optional<QuotaPause> paused() {
    return Optional.ofNullable(pause);
  }

  /** @return how many times this cursor waited for the rate limit's reset */
  public int quotaWaits() {
    return quotaWaits;
  }

  /** @return how long this cursor waited for the rate limit's reset, in all */
  public Duration quotaWaited() {
    return quotaWaited;
  }

  @Override
  public String toString() {
    return "PageCursor{" + token + (pause != null ? ", paused until " + pause.retryAt() : "") + '}';
  }
}
