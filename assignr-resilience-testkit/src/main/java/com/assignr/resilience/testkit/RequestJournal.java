package com.assignr.resilience.testkit;

import com.assignr.resilience.testkit.internal.JournalStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The requests the simulator received, in arrival order, for assertions. Thread-safe; every query
 * works on a snapshot.
 *
 * <p>Path filters ({@code pathRegexOrPrefix}) match an entry when its path-and-query starts with
 * the string, or when its path (or path-and-query) matches the string as a whole regular
 * expression: {@code "/api/v2/games"} and {@code "/api/v2/games/\\d+"} both work. A {@code null}
 * or {@code "*"} method matches any method.
 *
 * <p>The journal keeps the most recent entries up to the builder's {@code journalCapacity}
 * (default 100,000); {@link AssignrSimulator#stats()} counts everything.
 */
public final class RequestJournal {

  private final JournalStore store;

  RequestJournal(JournalStore store) {
    this.store = store;
  }

  /**
   * Every entry, oldest first.
   *
   * @return an immutable snapshot
   */
  public List<JournalEntry> entries() {
    return store.snapshot();
  }

  /**
   * Entries for one method and path.
   *
   * @param method e.g. {@code "GET"}; null or {@code "*"} for any
   * @param pathRegexOrPrefix a path prefix or a regex for the whole path
   * @return matching entries, oldest first
   */
  public List<JournalEntry> entries(String method, String pathRegexOrPrefix) {
    return filter(matcher(method, pathRegexOrPrefix));
  }

  /**
   * Number of requests received.
   *
   * @return the number of entries
   */
  public int count() {
    return store.snapshot().size();
  }

  /**
   * Number of requests for one method and path that arrived, processed or not: answered, refused,
   * scripted, or broken before or after processing. "The server received this POST exactly N
   * times" is {@code count("POST", path) == N}.
   *
   * @param method e.g. {@code "PUT"}; null or {@code "*"} for any
   * @param pathRegexOrPrefix a path prefix or a regex for the whole path
   * @return the number of matching entries
   */
  public int count(String method, String pathRegexOrPrefix) {
    return entries(method, pathRegexOrPrefix).size();
  }

  /**
   * Number of requests for one method and path that the API model {@linkplain
   * JournalEntry#processed() processed}, whether or not their answer reached the client. "This
   * POST created exactly one game" is {@code countProcessed("POST", path) == 1}.
   *
   * @param method e.g. {@code "POST"}; null or {@code "*"} for any
   * @param pathRegexOrPrefix a path prefix or a regex for the whole path
   * @return the number of matching processed entries
   */
  public int countProcessed(String method, String pathRegexOrPrefix) {
    return filter(matcher(method, pathRegexOrPrefix).and(JournalEntry::processed)).size();
  }

  /**
   * Number of responses with a status.
   *
   * @param status e.g. 429
   * @return the number of entries served with it
   */
  public int countStatus(int status) {
    return filter(e -> e.status() == status).size();
  }

  /**
   * Requests that arrived in {@code [fromInclusive, toExclusive)} on the simulator clock.
   *
   * @param fromInclusive start
   * @param toExclusive end
   * @return matching entries, oldest first
   */
  public List<JournalEntry> requestsArrivedBetween(Instant fromInclusive, Instant toExclusive) {
    return filter(e -> !e.arrivedAt().isBefore(fromInclusive) && e.arrivedAt().isBefore(toExclusive));
  }

  /**
   * Requests sent without Assignr's {@code Accept: application/vnd.assignr.v2.hal+json}.
   *
   * @return such entries, oldest first
   */
  public List<JournalEntry> withoutAcceptHeader() {
    return filter(e -> !e.acceptHeaderValid());
  }

  /**
   * {@code POST} requests sent without a {@code Content-Type}, which Assignr asks of every POST.
   *
   * @return such entries, oldest first
   */
  public List<JournalEntry> postsWithoutContentType() {
    return filter(e -> e.method().equals("POST") && (e.contentType() == null || e.contentType().isBlank()));
  }

  /**
   * Entries matching any predicate.
   *
   * @param predicate the filter
   * @return matching entries, oldest first
   */
  public List<JournalEntry> filter(Predicate<JournalEntry> predicate) {
    return store.snapshot().stream().filter(predicate).toList();
  }

  /**
   * The most recent entry.
   *
   * @return the last entry, or empty if none
   */
  public Optional<JournalEntry> last() {
    List<JournalEntry> all = store.snapshot();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Forgets every entry. Sequence numbers keep counting (only {@link AssignrSimulator#reset()}
   * starts them from 1 again).
   */
  public void reset() {
    store.clearEntries();
  }

  static Predicate<JournalEntry> matcher(String method, String pathRegexOrPrefix) {
    Objects.requireNonNull(pathRegexOrPrefix, "pathRegexOrPrefix");
    Pattern pattern;
    try {
      pattern = Pattern.compile(pathRegexOrPrefix);
    } catch (PatternSyntaxException e) {
      pattern = null;
    }
    Pattern regex = pattern;
    boolean anyMethod = method == null || method.equals("*");
    return e -> (anyMethod || e.method().equalsIgnoreCase(method))
        && (e.pathAndQuery().startsWith(pathRegexOrPrefix)
            || (regex != null && (regex.matcher(e.path()).matches()
                || regex.matcher(e.pathAndQuery()).matches())));
  }
}
