package com.assignr.resilience.spring;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulator's clock, pointed at each test's virtual time so journal arrivals are virtual. */
final class SwitchableClock extends Clock {
  private volatile Clock current = Clock.systemUTC();

  void use(Clock clock) {
    this.current = clock;
  }

  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
  @Override public Instant instant() { return current.instant(); }
}
