package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.SimulatorStats;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link SimulatorStats}. */
public final class StatsCounters {
  final LongAdder total = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder serverErrors = new LongAdder();
  final LongAdder connectionFaults = new LongAdder();
  final LongAdder admitted = new LongAdder();
  final LongAdder tokenRequests = new LongAdder();
  final LongAdder tokensIssued = new LongAdder();

  void served(int status) {
    if (status == 429) {
      rateLimited.increment();
    } else if (status >= 500) {
      serverErrors.increment();
    }
  }

  public SimulatorStats snapshot() {
    return new SimulatorStats(total.sum(), rateLimited.sum(), serverErrors.sum(),
        connectionFaults.sum(), admitted.sum(), tokenRequests.sum(), tokensIssued.sum());
  }

  public void reset() {
    total.reset();
    rateLimited.reset();
    serverErrors.reset();
    connectionFaults.reset();
    admitted.reset();
    tokenRequests.reset();
    tokensIssued.reset();
  }
}
