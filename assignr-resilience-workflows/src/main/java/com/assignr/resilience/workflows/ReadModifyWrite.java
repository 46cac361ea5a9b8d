package com.assignr.resilience.workflows;

import com.assignr.resilience.ConflictException;
import com.assignr.resilience.InvalidSettingsException;
import com.assignr.resilience.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Saves a change to an Assignr record that others may be changing too: read it, apply the change
 * to what was read, write it with the {@code lock_version} it was read at; on 409 read it again and
 * apply the change to the fresh copy, at most {@link #maxConflicts()} times.
 *
 * <pre>{@code
 * ReadModifyWrite rmw = ReadModifyWrite.builder().maxConflicts(3).deadline(Duration.ofSeconds(30)).build();
 * ReadModifyWrite.Result<ObjectNode, JsonNode> result = rmw.run(
 *     () -> get("/games/1001"),                                  // your client, your JSON
 *     game -> "10:00".equals(game.path("start_time").asText())
 *         ? ReadModifyWrite.Edit.alreadyApplied()
 *         : ReadModifyWrite.Edit.write(game.deepCopy().put("start_time", "10:00")),
 *     game -> put("/games/1001", game));                         // sends game's lock_version
 * }</pre>
 *
 * <h2>How it goes, and why</h2>
 *
 * <p>Assignr locks optimistically: a {@code PUT} carries the {@code lock_version} the record was
 * read at, and one that has moved on is refused with 409. Resending the same body can never
 * succeed, and a body rebuilt from the old copy would overwrite the other user's change; the only
 * correct answer is to read again and re-apply <em>the change</em> (not the old result) to the
 * fresh record. So the change is a function of the record, called once per read; it sees every
 * fresh copy and can say that the change {@linkplain Edit#alreadyApplied() is already there} or
 * {@linkplain Edit#noLongerApplies(String) no longer makes sense} (the game was cancelled
 * meanwhile), which ends the loop without a write.
 *
 * <ol>
 *   <li>read the record ({@link Read}); apply the change ({@link Change});
 *   <li>already applied or no longer applies: done, nothing written. A changed copy that {@code
 *       equals} the record read (and is not the same object) changes nothing, and counts as
 *       already applied;
 *   <li>write it ({@link Write}): saved, done;
 *   <li>409 ({@link ConflictException}): if {@link #maxConflicts()} conflicts have been met, or
 *       the {@link #deadline()} has passed, give up with {@link ConflictsPersistException};
 *       otherwise go to 1.
 * </ol>
 *
 * <p>So a change is written at most {@code maxConflicts + 1} times, each time with the {@code
 * lock_version} of the read just before it.
 *
 * <p><b>The 409 after our own resend.</b> A {@code PUT} whose answer was lost is resent by the
 * adapters (PUT is idempotent); if the first one was saved, the resend meets its own new {@code
 * lock_version} and gets 409 for a save that happened. The conflict's {@link
 * ConflictException#attempts()} is then above 1. Step 1 reads the record, the change finds itself
 * there, and the result is {@link AlreadyApplied} with {@link AlreadyApplied#afterOwnResend()}
 * true: a success, never a reported conflict, and the change is in the record once. (Even when the
 * conflict budget is spent, a 409 after a resend is followed by this one read before giving up.)
 *
 * <p><b>Composition.</b> The helper sends nothing itself: the three functions call Assignr through
 * a client built with one of the adapters and {@code throwOnFailure(true)}, so every read and
 * write has the library's gate, retries, backoff and per-call deadline, and a 409 arrives as
 * {@link ConflictException}. Any other failure (a 429 that could not be waited out, a 404...)
 * passes through unchanged. The helper's own {@link #deadline()} bounds the whole loop: no read or
 * write is started after it. No JSON library is needed here: the functions use the caller's.
 *
 * <p>Immutable and thread-safe; one instance serves any number of concurrent calls.
 */
public final class ReadModifyWrite {
  /** The default {@link #maxConflicts()}: three re-reads, four writes at most. */
  public static final int DEFAULT_MAX_CONFLICTS = 3;
  /** The largest {@link #maxConflicts()} accepted: each round costs two requests of the hourly quota. */
  public static final int MAX_MAX_CONFLICTS = 20;

  private static final ReadModifyWrite DEFAULTS = builder().build();

  private final int maxConflicts;
  private final Duration deadline;
  private final TimeSource time;

  private ReadModifyWrite(Builder b) {
    this.maxConflicts = b.maxConflicts;
    this.deadline = b.deadline;
    this.time = b.time;
  }

  /** @return a builder with the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@link #DEFAULT_MAX_CONFLICTS} conflicts, no deadline of its own, the system clock */
  public static ReadModifyWrite defaults() {
    return DEFAULTS;
  }

  /** @return a builder holding these settings */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConflicts = maxConflicts;
    b.deadline = deadline;
    b.time = time;
    return b;
  }

  /** @return how many 409s are answered by reading again; the change is written at most this + 1 times */
  public int maxConflicts() {
    return maxConflicts;
  }

  /** @return the time after which no read or write is started, or null for none */
  public Duration deadline() {
    return deadline;
  }

  /** @return where elapsed time is read (the same seam as the library's) */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * Reads, changes and writes until the change is saved, found already applied, or found no
   * longer applicable.
   *
   * @param read reads the current record (a {@code GET} through an adapter)
   * @param change applies the change to a record just read; called once per read
   * @param write writes a changed record (a {@code PUT} carrying the record's {@code lock_version});
   *     a 409 must arrive as {@link ConflictException}
   * @param <T> the record, in the caller's JSON library or own type
   * @param <W> what the write returns
   * @return what happened
   * @throws ConflictsPersistException when conflicts go on past {@link #maxConflicts()} or the
   *     {@link #deadline()}
   * @throws IOException whatever {@code read} or {@code write} threw other than a 409
   */
  public <T, W> Result<T, W> run(Read<T> read, Change<T> change, Write<T, W> write) throws IOException {
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(write, "write");
    long started = time.nanoTime();
    int writes = 0;
    List<ConflictException> conflicts = new ArrayList<>();
    while (true) {
      ConflictException last = conflicts.isEmpty() ? null : conflicts.get(conflicts.size() - 1);
      boolean ownResend = last != null && last.attempts() > 1;
      if (last != null && pastDeadline(started)) {
        throw giveUp(conflicts, writes, started, "the deadline of " + deadline + " passed");
      }
      T fresh = read.read();
      Edit<T> edit = Objects.requireNonNull(change.apply(fresh), "change returned null");
      if (edit instanceof Edit.Unchanged) {
        return new AlreadyApplied<>(fresh, writes, conflicts.size(), ownResend);
      }
      if (edit instanceof Edit.Obsolete<T> obsolete) {
        return new NoLongerApplies<>(fresh, obsolete.reason(), writes, conflicts.size());
      }
      T updated = ((Edit.Changed<T>) edit).updated();
      if (updated != fresh && updated.equals(fresh)) {
        return new AlreadyApplied<>(fresh, writes, conflicts.size(), ownResend);
      }
      if (conflicts.size() > maxConflicts) {
        // Only reached after a 409 that followed our own resend: the record did not hold the change.
        throw giveUp(conflicts, writes, started, maxConflicts + " conflicts were answered already");
      }
      if (last != null && pastDeadline(started)) {
        throw giveUp(conflicts, writes, started, "the deadline of " + deadline + " passed");
      }
      writes++;
      try {
        return new Saved<>(write.write(updated), writes, conflicts.size());
      } catch (ConflictException e) {
        conflicts.add(e);
        if (conflicts.size() > maxConflicts && e.attempts() <= 1) {
          throw giveUp(conflicts, writes, started, maxConflicts + " conflicts were answered already");
        }
      }
    }
  }

  private boolean pastDeadline(long started) {
    return deadline != null && time.nanoTime() - started >= deadline.toNanos();
  }

  private ConflictsPersistException giveUp(List<ConflictException> conflicts, int writes, long started,
      String why) {
    Duration elapsed = Duration.ofNanos(Math.max(0, time.nanoTime() - started));
    return new ConflictsPersistException(writes, conflicts, elapsed, why);
  }

  @Override
  public String toString() {
    return "ReadModifyWrite{maxConflicts=" + maxConflicts + ", deadline=" + deadline + '}';
  }

  /**
   * Reads the current record.
   *
   * @param <T> the record
   */
  @FunctionalInterface
  public interface Read<T> {
    /**
     * @return the record as it is now, with its {@code lock_version}
     * @throws IOException as the client throws
     */
    T read() throws IOException;
  }

  /**
   * The change, as a function of the record it applies to. Called once per read, with the record
   * just read; it must not depend on an earlier copy.
   *
   * @param <T> the record
   */
  @FunctionalInterface
  public interface Change<T> {
    /**
     * @param fresh the record just read
     * @return {@link Edit#write(Object)} with the changed record (a new object: the fresh copy
     *     with the change, including its {@code lock_version}), {@link Edit#alreadyApplied()} or
     *     {@link Edit#noLongerApplies(String)}
     * @throws IOException if the change cannot be computed (e.g. the caller's JSON failed)
     */
    Edit<T> apply(T fresh) throws IOException;
  }

  /**
   * Writes a changed record.
   *
   * @param <T> the record
   * @param <W> what the write returns (the saved record, a response...)
   */
  @FunctionalInterface
  public interface Write<T, W> {
    /**
     * @param updated the changed record
     * @return what the write returned
     * @throws ConflictException on 409 (an adapter with {@code throwOnFailure(true)} throws it)
     * @throws IOException as the client throws
     */
    W write(T updated) throws IOException;
  }

  /**
   * What the change makes of one fresh record.
   *
   * @param <T> the record
   */
  public sealed interface Edit<T> permits Edit.Changed, Edit.Unchanged, Edit.Obsolete {
    /**
     * Write this changed record.
     *
     * @param updated the fresh record with the change applied
     * @param <T> the record
     * @return the edit
     */
    static <T> Edit<T> write(T updated) {
      return new Changed<>(Objects.requireNonNull(updated, "updated"));
    }

    /**
     * The record already holds the change: nothing to write (also the sign of a save whose answer
     * was lost).
     *
     * @param <T> the record
     * @return the edit
     */
    @SuppressWarnings("unchecked")
    static <T> Edit<T> alreadyApplied() {
      return (Edit<T>) Unchanged.INSTANCE;
    }

    /**
     * The change no longer makes sense for this record (someone else changed what it depended
     * on): nothing to write.
     *
     * @param reason why, for the result
     * @param <T> the record
     * @return the edit
     */
    static <T> Edit<T> noLongerApplies(String reason) {
      return new Obsolete<>(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Write {@code updated}.
     *
     * @param updated the changed record
     * @param <T> the record
     */
    record Changed<T>(T updated) implements Edit<T> {}

    /**
     * Already applied.
     *
     * @param <T> the record
     */
    final class Unchanged<T> implements Edit<T> {
      private static final Unchanged<Object> INSTANCE = new Unchanged<>();

      private Unchanged() {}

      @Override
      public String toString() {
        return "Edit.alreadyApplied()";
      }
    }

    /**
     * No longer applies.
     *
     * @param reason why
     * @param <T> the record
     */
    record Obsolete<T>(String reason) implements Edit<T> {}
  }

  /**
   * How a {@link #run} ended without an exception: the change is in the record ({@link Saved},
   * {@link AlreadyApplied}) or no longer wanted ({@link NoLongerApplies}).
   *
   * @param <T> the record
   * @param <W> what the write returns
   */
  public sealed interface Result<T, W> permits Saved, AlreadyApplied, NoLongerApplies {
    /** @return writes sent (each with a fresh {@code lock_version}), at most {@code maxConflicts + 1} */
    int writes();

    /** @return 409s met and answered by reading again */
    int conflicts();

    /** @return whether the record now holds the change */
    default boolean applied() {
      return !(this instanceof NoLongerApplies);
    }
  }

  /**
   * The change was written and saved.
   *
   * @param written what the last write returned
   * @param writes writes sent, the last one saved
   * @param conflicts 409s before it
   * @param <T> the record
   * @param <W> what the write returns
   */
  public record Saved<T, W>(W written, int writes, int conflicts) implements Result<T, W> {}

  /**
   * The record read already held the change: nothing (more) was written.
   *
   * @param current the record as read, holding the change
   * @param writes writes sent before (0 when it was there from the start)
   * @param conflicts 409s before it
   * @param afterOwnResend whether the last 409 answered a write the adapter had resent after
   *     losing its answer: that write was saved, and the 409 was our own
   * @param <T> the record
   * @param <W> what the write returns
   */
  public record AlreadyApplied<T, W>(T current, int writes, int conflicts, boolean afterOwnResend)
      implements Result<T, W> {}

  /**
   * The change said it no longer applies to the record read: nothing (more) was written.
   *
   * @param current the record as read
   * @param reason the change's reason
   * @param writes writes sent before (all refused with 409)
   * @param conflicts 409s before it
   * @param <T> the record
   * @param <W> what the write returns
   */
  public record NoLongerApplies<T, W>(T current, String reason, int writes, int conflicts)
      implements Result<T, W> {}

  /** Setters only store; {@link #build()} validates. */
  public static final class Builder {
    private int maxConflicts = DEFAULT_MAX_CONFLICTS;
    private Duration deadline;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * @param conflicts how many 409s to answer by reading again, 0 to {@value #MAX_MAX_CONFLICTS}
     *     (default {@value #DEFAULT_MAX_CONFLICTS}); the change is written at most this + 1 times
     * @return this builder
     */
    public Builder maxConflicts(int conflicts) {
      this.maxConflicts = conflicts;
      return this;
    }

    /**
     * @param deadline no read or write is started once this has passed since {@link #run} began;
     *     positive, at most a day; null (the default) for none beyond the adapters' own
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      this.deadline = deadline;
      return this;
    }

    /**
     * @param time where elapsed time is read: give the one the adapters' {@code
     *     AssignrResilience} uses (tests: the testkit's {@code VirtualTime})
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
    public ReadModifyWrite build() {
      List<InvalidSettingsException.Problem> problems = new ArrayList<>();
      if (maxConflicts < 0 || maxConflicts > MAX_MAX_CONFLICTS) {
        problems.add(new InvalidSettingsException.Problem("maxConflicts",
            "must be between 0 and " + MAX_MAX_CONFLICTS + " (each conflict costs a read and a write)",
            Integer.toString(maxConflicts)));
      }
      if (deadline != null && (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofDays(1)) > 0)) {
        problems.add(new InvalidSettingsException.Problem("deadline", "must be positive and at most 1 day (or null)",
            deadline.toString()));
      }
      if (time == null) {
        problems.add(new InvalidSettingsException.Problem("timeSource", "must not be null", "null"));
      }
      if (!problems.isEmpty()) throw new InvalidSettingsException("ReadModifyWrite", problems);
      return new ReadModifyWrite(this);
    }
  }
}
