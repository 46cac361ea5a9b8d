package com.assignr.resilience.internal;

import java.time.Duration;

/**
 * The one arithmetic of a call's deadline: a start reading of the {@link com.assignr.resilience.TimeSource} and a budget
 * in nanoseconds, {@link #NONE} meaning no deadline. Static, so that the first attempt of a call
 * (which keeps no per-call object) and the call's state compute it the same way without
 * allocating; the OAuth module's token waits use it too. Not for users.
 */
public final class Deadline {
  /** The budget of a call without a deadline. */
  public static final long NONE = Long.MAX_VALUE;

  private Deadline() {}

  /**
   * The budget of a call: the earlier of the caller's timeout and the policy's total timeout.
   *
   * @param policyBudget the policy's budget in nanoseconds, or {@link #NONE}
   * @param callerTimeout the caller's timeout, or null
   * @return the budget in nanoseconds, or {@link #NONE}
   */
  public static long budget(long policyBudget, Duration callerTimeout) {
    return callerTimeout == null ? policyBudget : Math.min(policyBudget, callerTimeout.toNanos());
  }

  /**
   * Nanoseconds left at {@code now} of {@code budget} from {@code start}.
   *
   * @param start the start reading
   * @param budget the budget, or {@link #NONE}
   * @param now the current reading
   * @return what is left (negative once passed), or {@link #NONE} for none
   */
  public static long left(long start, long budget, long now) {
    return budget == NONE ? NONE : start + budget - now;
  }
}
