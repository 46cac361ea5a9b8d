package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.MalformedTokenResponse;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.github.tomakehurst.wiremock.http.Fault;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scripted faults and responses, evaluated in the order they were added.
 *
 * <p>For each request, rules that match its method and path are visited in order: every firing
 * {@link Delay} adds its delay, and the first firing {@link Respond}, {@link Inject} or
 * {@link AfterProcessing} decides the response; later rules are not visited (and do not count that
 * request). A rule fires while its
 * trigger allows: the next N matching requests, until an instant on the simulator clock, every
 * Nth matching request it sees, or with a seeded probability. A rule that fires once per path
 * no longer matches the paths it fired for.
 */
public final class ScriptStore {

  /** What a rule does. */
  public sealed interface Action permits Respond, Inject, Delay, AfterProcessing, Malformed {}

  /** Serve a scripted response. */
  public record Respond(ScriptedResponse response) implements Action {}

  /** Break the connection with a WireMock fault. */
  public record Inject(Fault fault) implements Action {}

  /** Delay whatever response is served. */
  public record Delay(long millis) implements Action {}

  /** How an answer is broken after the request was processed. */
  public enum Break {
    /** Close the connection without a response byte (WireMock's {@code EMPTY_RESPONSE}). */
    CLOSE,
    /** Reset the connection without a response byte (WireMock's {@code CONNECTION_RESET_BY_PEER}). */
    RESET,
    /** Send status, headers and part of the body, then close. */
    TRUNCATE
  }

  /**
   * Let the request be processed as usual, then break its answer.
   *
   * @param how the break
   * @param bodyBytes for {@link Break#TRUNCATE}: body bytes to send, or -1 for half the body
   */
  public record AfterProcessing(Break how, int bodyBytes) implements Action {}

  /** Token endpoint only: answer a valid token request with this defect. */
  public record Malformed(MalformedTokenResponse defect) implements Action {}

  /** When a rule fires. */
  public enum Kind {
    NEXT,
    UNTIL,
    EVERY_NTH,
    PROBABILITY,
    ALWAYS
  }

  /** The decision for one request: a terminal action (or null) and the total delay. */
  public record Outcome(Action terminal, long delayMillis) {}

  private static final class Rule {
    final String method;
    final Pattern path;
    final Kind kind;
    final long amount;
    final Random random;
    final double probability;
    final Action action;
    /** The paths it fired for, when it fires at most once per path; else null. */
    final Set<String> firedFor;
    long seen;

    Rule(String method, Pattern path, Kind kind, long amount, double probability, long seed,
        boolean oncePerPath, Action action) {
      this.method = method;
      this.path = path;
      this.kind = kind;
      this.amount = amount;
      this.probability = probability;
      this.random = kind == Kind.PROBABILITY ? new Random(seed) : null;
      this.firedFor = oncePerPath ? new HashSet<>() : null;
      this.action = action;
    }

    boolean matches(String requestMethod, String requestPath) {
      return (method == null || method.equalsIgnoreCase(requestMethod))
          && (path == null || path.matcher(requestPath).matches())
          && (firedFor == null || !firedFor.contains(requestPath));
    }

    /** Returns whether it fires for this request; updates its own counters. */
    boolean fire(long now) {
      seen++;
      switch (kind) {
        case NEXT:
          return seen <= amount;
        case UNTIL:
          return now < amount;
        case EVERY_NTH:
          return seen % amount == 0;
        case PROBABILITY:
          return random.nextDouble() < probability;
        case ALWAYS:
        default:
          return true;
      }
    }

    boolean spent(long now) {
      return (kind == Kind.NEXT && seen >= amount) || (kind == Kind.UNTIL && now >= amount);
    }
  }

  private final List<Rule> rules = new ArrayList<>();

  /**
   * Adds a rule.
   *
   * @param method HTTP method or null for any
   * @param pathRegex regex the whole path must match, or null for any
   * @param kind trigger
   * @param amount N for NEXT and EVERY_NTH, the end in epoch millis for UNTIL
   * @param probability for PROBABILITY
   * @param seed for PROBABILITY
   * @param oncePerPath whether it fires at most once for each path (later requests for a path it
   *     fired for pass it by, uncounted)
   * @param action what to do
   */
  public synchronized void add(String method, String pathRegex, Kind kind, long amount,
      double probability, long seed, boolean oncePerPath, Action action) {
    rules.add(new Rule(method, pathRegex == null ? null : Pattern.compile(pathRegex), kind, amount,
        probability, seed, oncePerPath, action));
  }

  /** Decides one request. */
  public synchronized Outcome evaluate(String method, String path, long now) {
    long delay = 0;
    Action terminal = null;
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.spent(now)) {
        it.remove();
        continue;
      }
      if (!rule.matches(method, path) || !rule.fire(now)) {
        continue;
      }
      if (rule.firedFor != null) rule.firedFor.add(path);
      if (rule.spent(now)) {
        it.remove();
      }
      if (rule.action instanceof Delay d) {
        delay += d.millis();
      } else {
        terminal = rule.action;
        break;
      }
    }
    return new Outcome(terminal, delay);
  }

  /** Number of rules not yet used up (time-bounded rules count until checked after they end). */
  public synchronized int pending() {
    return rules.size();
  }

  /** Drops every rule. */
  public synchronized void clear() {
    rules.clear();
  }
}
