package com.assignr.resilience;

import java.time.Duration;

/**
 * The one arithmetic of a call's deadline: a start reading of the {@link TimeSource} and a budget
 * in nanoseconds, {@link #NONE} meaning no deadline. Static, so that the first attempt of a call
 * (which keeps no per-call object) and the call's state compute it the same way without
 * allocating.
 */
final class Deadline {
  /** The budget of a call without a deadline. */
  static final long NONE = Long.MAX_VALUE;

  private Deadline() {}

  /**
   * The budget of a call: the earlier of the caller's timeout and the policy's total timeout.
   *
   * @param policyBudget the policy's budget in nanoseconds, or {@link #NONE}
   * @param callerTimeout the caller's timeout, or null
   */
  static long budget(long policyBudget, Duration callerTimeout) {
    return callerTimeout == null ? policyBudget : Math.min(policyBudget, callerTimeout.toNanos());
  }

  /** Nanoseconds left at {@code now} of {@code budget} from {@code start}; {@link #NONE} for none. */
  static long left(long start, long budget, long now) {
    return budget == NONE ? NONE : start + budget - now;
  }
}
