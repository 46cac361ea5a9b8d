package com.assignr.resilience.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects every invalid setting of a builder, so one {@code build()} reports them all. */
public final class Checks {
  private final String owner;
  private final List<String> problems = new ArrayList<>();

  public Checks(String owner) {
    this.owner = owner;
  }

  public void check(boolean ok, String parameter, Object value, String rule) {
    if (!ok) problems.add(parameter + " " + rule + " but was " + value);
  }

  public void positive(String parameter, Duration value) {
    check(value != null && !value.isNegative() && !value.isZero(), parameter, value, "must be positive");
  }

  public void nonNegative(String parameter, Duration value) {
    check(value != null && !value.isNegative(), parameter, value, "must not be negative");
  }

  public void notNull(String parameter, Object value) {
    check(value != null, parameter, null, "must not be null");
  }

  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + owner + ": " + String.join("; ", problems));
    }
  }
}
