package com.assignr.resilience.internal;

import com.assignr.resilience.InvalidSettingsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid setting of a builder, so one {@code build()} reports them all, as an
 * {@link InvalidSettingsException} (whose problems a Spring binder maps back to property names).
 */
public final class Checks {
  private final String owner;
  private final List<InvalidSettingsException.Problem> problems = new ArrayList<>();

  public Checks(String owner) {
    this.owner = owner;
  }

  public void check(boolean ok, String parameter, Object value, String rule) {
    if (!ok) problems.add(new InvalidSettingsException.Problem(parameter, rule, String.valueOf(value)));
  }

  public void positive(String parameter, Duration value) {
    check(value != null && !value.isNegative() && !value.isZero(), parameter, value, "must be positive");
  }

  public void nonNegative(String parameter, Duration value) {
    check(value != null && !value.isNegative(), parameter, value, "must not be negative");
  }

  /** {@code value} within [{@code min}, {@code max}]; null is refused. */
  public void between(String parameter, Duration value, Duration min, Duration max) {
    check(value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0, parameter, value,
        "must be between " + min + " and " + max);
  }

  /** {@code value} no longer than {@code max}; null passes (checked elsewhere when required). */
  public void atMost(String parameter, Duration value, Duration max) {
    check(value == null || value.compareTo(max) <= 0, parameter, value, "must be at most " + max);
  }

  public void notNull(String parameter, Object value) {
    check(value != null, parameter, null, "must not be null");
  }

  /** @return the problems found so far, in order; unmodifiable */
  public List<InvalidSettingsException.Problem> problems() {
    return List.copyOf(problems);
  }

  public void throwIfAny() {
    if (!problems.isEmpty()) throw new InvalidSettingsException(owner, problems);
  }
}
