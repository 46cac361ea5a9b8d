package com.assignr.resilience.workflows;

import com.assignr.resilience.ConflictException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@link ReadModifyWrite} gave up: every write of the change met a 409, because someone else kept
 * saving the record between our read and our write, until the conflict budget ({@link
 * ReadModifyWrite#maxConflicts()}) or the deadline ran out. Nothing of ours was saved. The last
 * {@link ConflictException} is the cause, the earlier ones are suppressed.
 *
 * <p>Like the library's own exceptions it extends {@link IOException} and never holds a header
 * value, a query string or a credential (the conflicts' messages are the library's).
 */
public final class ConflictsPersistException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int writes;
  private final int conflicts;
  private final Duration elapsed;

  ConflictsPersistException(int writes, List<ConflictException> conflicts, Duration elapsed, String why) {
    super("Gave up saving the change after " + writes + (writes == 1 ? " write" : " writes") + " and "
        + conflicts.size() + (conflicts.size() == 1 ? " conflict" : " conflicts") + " (409) in "
        + elapsed.toMillis() + " ms: " + why + ". Someone else keeps saving this record; nothing of"
        + " ours was saved, and every write carried the lock_version of the read just before it",
        conflicts.isEmpty() ? null : conflicts.get(conflicts.size() - 1));
    for (int i = 0; i < conflicts.size() - 1; i++) addSuppressed(conflicts.get(i));
    this.writes = writes;
    this.conflicts = conflicts.size();
    this.elapsed = elapsed;
  }

  /** @return writes sent, each refused with 409 */
  public int writes() {
    return writes;
  }

  /** @return 409s met */
  public int conflicts() {
    return conflicts;
  }

  /** @return time from the first read to giving up */
  public Duration elapsed() {
    return elapsed;
  }
}
