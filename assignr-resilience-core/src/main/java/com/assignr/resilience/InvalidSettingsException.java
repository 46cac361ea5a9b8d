package com.assignr.resilience;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A builder's {@code build()} found settings it cannot accept: every one of them, each by its
 * name, its rule and the value given, so that one run of a misconfigured application reports all
 * of them. Thrown by every builder of this library ({@link RetryPolicy}, {@link GatePolicy},
 * {@link AssignrResilience}, {@code AssignrOAuth}, the adapters' token sources and the JDK
 * decorator's options, the Micrometer binder, the Redis store).
 *
 * <pre>{@code
 * try {
 *   RetryPolicy.builder().maxAttempts(0).initialBackoff(Duration.ofSeconds(-1)).build();
 * } catch (InvalidSettingsException e) {
 *   e.problems(); // [maxAttempts must be between 1 and 100 but was 0, initialBackoff ...]
 * }
 * }</pre>
 *
 * <p>A problem never quotes a secret: settings that hold one (a client secret, a password) are
 * named without their value.
 */
public final class InvalidSettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * One setting that cannot be accepted.
   *
   * @param setting the builder's name for it, e.g. {@code "maxAttempts"}
   * @param rule what it must be, e.g. {@code "must be between 1 and 100"}
   * @param value the value given, as text ({@code "null"} when absent); never a secret
   */
  public record Problem(String setting, String rule, String value) implements Serializable {
    public Problem {
      Objects.requireNonNull(setting, "setting");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(value, "value");
    }

    /** {@code "<setting> <rule> but was <value>"}. */
    @Override
    public String toString() {
      return setting + " " + rule + " but was " + value;
    }
  }

  private final String subject;
  private final List<Problem> problems;

  /**
   * @param subject what was being built, e.g. {@code "RetryPolicy"}
   * @param problems at least one
   */
  public InvalidSettingsException(String subject, List<Problem> problems) {
    super(message(subject, problems));
    this.subject = subject;
    this.problems = List.copyOf(problems);
  }

  private static String message(String subject, List<Problem> problems) {
    Objects.requireNonNull(subject, "subject");
    if (problems.isEmpty()) throw new IllegalArgumentException("problems must not be empty");
    StringBuilder b = new StringBuilder("Invalid ").append(subject).append(": ");
    for (int i = 0; i < problems.size(); i++) {
      if (i > 0) b.append("; ");
      b.append(problems.get(i));
    }
    return b.toString();
  }

  /**
   * What was being built.
   *
   * @return e.g. {@code "RetryPolicy"}
   */
  public String subject() {
    return subject;
  }

  /**
   * Every setting that cannot be accepted, in the order the builder checks them.
   *
   * @return at least one problem
   */
  public List<Problem> problems() {
    return problems;
  }
}
