package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.GatePolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate contract's table ({@code gate-contract.txt}), read into scenarios of steps: the format
 * is described at the top of the table itself. Reading fails with the line and what is wrong, so a
 * mistake in the table never passes for a store's failure.
 */
public final class GateTable {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)?");
  private static final Pattern CLOSED = Pattern.compile("closed (\\S+) \\((429|reserve)\\)");
  private static final Pattern REPEAT = Pattern.compile("x(\\d+)");
  /** The header each shorthand of the table stands for. */
  private static final Map<String, String> HEADERS = Map.of(
      "remaining", "X-Ratelimit-Remaining",
      "reset", "X-Ratelimit-Reset-Seconds-Remaining",
      "limit", "X-Ratelimit-Limit",
      "period", "X-Ratelimit-Period",
      "retryAfter", "Retry-After");
  private static final List<String> STATE_FIELDS =
      List.of("closedFor", "remaining", "untilReset", "limit", "period", "inFlight");

  private GateTable() {}

  /** What one step does. */
  public enum Kind { ADMIT, ANSWER, LEARN, RELEASE, ADVANCE, STATE }

  /** An event a step must fire; {@code reason} is "429" or "reserve" for a closure. */
  public record Event(String type, long nanos, String reason) {
    public static final Event OPENED = new Event("opened", 0, null);
    public static final Event OBSERVED = new Event("observed", 0, null);

    @Override
    public String toString() {
      return type.equals("closed") ? "closed " + formatDuration(nanos) + " (" + reason + ")" : type;
    }
  }

  /**
   * One row of the table.
   *
   * @param line its line in the table
   * @param text the step as written
   * @param kind what it does
   * @param status the answer's HTTP status (ANSWER, LEARN)
   * @param headers the answer's headers, by their real names (ANSWER, LEARN)
   * @param nanos the caller's longest wait (ADMIT; Long.MAX_VALUE when none) or how far time moves (ADVANCE)
   * @param times how many times the step runs, each with the same expectations
   * @param expectedWait the expected answer of tryAcquire (ADMIT): 0 when admitted
   * @param state the expected fields of state(), as written (STATE)
   * @param events the events the step must fire, in order
   */
  public record Step(int line, String text, Kind kind, int status, Map<String, String> headers, long nanos,
      int times, long expectedWait, Map<String, String> state, List<Event> events) {}

  /**
   * One scenario: a fresh gate with these settings, then the steps.
   *
   * @param name what it shows, in plain English
   * @param line its line in the table
   * @param policy the gate's settings
   * @param margin the retry policy's rate-limit margin
   * @param steps its steps, in order
   */
  public record Scenario(String name, int line, GatePolicy policy, Duration margin, List<Step> steps) {}

  /** Reads a table; {@code source} names it in error messages. */
  public static List<Scenario> parse(String text, String source) {
    List<Scenario> scenarios = new ArrayList<>();
    String name = null;
    int scenarioLine = 0;
    GatePolicy.Builder policy = null;
    Duration margin = null;
    List<Step> steps = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        if (line.startsWith("scenario:")) {
          if (name != null) scenarios.add(scenario(name, scenarioLine, policy, margin, steps));
          name = line.substring("scenario:".length()).strip();
          if (name.isEmpty()) throw new IllegalArgumentException("a scenario needs a name");
          scenarioLine = lineNo;
          policy = GatePolicy.builder();
          margin = Duration.ofSeconds(1);
          steps = new ArrayList<>();
        } else if (line.startsWith("settings:")) {
          if (name == null || !steps.isEmpty()) {
            throw new IllegalArgumentException("settings belong right after their scenario's name");
          }
          for (String setting : words(line.substring("settings:".length()))) {
            String[] kv = keyValue(setting);
            switch (kv[0]) {
              case "reserve": policy.reserve(Integer.parseInt(kv[1])); break;
              case "coldStart": policy.coldStartConcurrency(Integer.parseInt(kv[1])); break;
              case "spacing": policy.releaseSpacing(Duration.ofNanos(duration(kv[1]))); break;
              case "pacing": policy.pacing(onOff(kv[1])); break;
              case "closureWithoutReset": policy.closureWithoutReset(Duration.ofNanos(duration(kv[1]))); break;
              case "margin": margin = Duration.ofNanos(duration(kv[1])); break;
              case "people": policy.interactiveShare(percent(kv[1])); break;
              default: throw new IllegalArgumentException("unknown setting " + kv[0]);
            }
          }
        } else if (line.startsWith("|")) {
          if (name == null) throw new IllegalArgumentException("a step before any scenario");
          steps.add(step(lineNo, line));
        } else {
          throw new IllegalArgumentException("neither a scenario, its settings, a step nor a comment");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + " line " + lineNo + ": " + e.getMessage() + ": " + line, e);
      }
    }
    if (name != null) scenarios.add(scenario(name, scenarioLine, policy, margin, steps));
    return List.copyOf(scenarios);
  }

  private static Scenario scenario(String name, int line, GatePolicy.Builder policy, Duration margin, List<Step> steps) {
    if (steps.isEmpty()) throw new IllegalArgumentException("scenario at line " + line + " has no steps");
    return new Scenario(name, line, policy.build(), margin, List.copyOf(steps));
  }

  /** "25%" as 0.25. */
  private static double percent(String text) {
    if (!text.endsWith("%")) throw new IllegalArgumentException("a share is a percentage, such as 25%: " + text);
    return Double.parseDouble(text.substring(0, text.length() - 1)) / 100;
  }

  private static Step step(int lineNo, String line) {
    String body = line.substring(1);
    if (body.endsWith("|")) body = body.substring(0, body.length() - 1);
    String[] cells = body.split("\\|", -1);
    if (cells.length != 3) throw new IllegalArgumentException("a step has three cells: step | result | events");
    String text = cells[0].strip();
    String result = cells[1].strip();
    List<Event> events = events(cells[2].strip());
    List<String> words = words(text);
    if (words.isEmpty()) throw new IllegalArgumentException("an empty step");
    String verb = words.get(0);
    int times = 1;
    if (words.size() > 1 && REPEAT.matcher(words.get(words.size() - 1)).matches()) {
      times = Integer.parseInt(words.get(words.size() - 1).substring(1));
      words = words.subList(0, words.size() - 1);
      if (times < 1) throw new IllegalArgumentException("a step repeats at least once");
    }
    switch (verb) {
      case "admit": {
        long max = Long.MAX_VALUE;
        for (String w : words.subList(1, words.size())) {
          String[] kv = keyValue(w);
          if (!kv[0].equals("max")) throw new IllegalArgumentException("admit takes only max=");
          max = duration(kv[1]);
        }
        long wait;
        if (result.equals("admitted")) {
          wait = 0;
        } else if (result.startsWith("wait ")) {
          wait = duration(result.substring(5).strip());
          if (wait <= 0) throw new IllegalArgumentException("a wait is positive; say admitted");
        } else {
          throw new IllegalArgumentException("admit's result is admitted or wait D");
        }
        return new Step(lineNo, text, Kind.ADMIT, 0, Map.of(), max, times, wait, Map.of(), events);
      }
      case "answer":
      case "learn": {
        if (words.size() < 2) throw new IllegalArgumentException(verb + " needs a status");
        int status = Integer.parseInt(words.get(1));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String w : words.subList(2, words.size())) {
          String[] kv = keyValue(w);
          String header = HEADERS.get(kv[0]);
          if (header == null) throw new IllegalArgumentException("unknown header " + kv[0] + "; known: " + HEADERS.keySet());
          headers.put(header, kv[1]);
        }
        noResult(result, verb);
        return new Step(lineNo, text, verb.equals("answer") ? Kind.ANSWER : Kind.LEARN, status,
            Map.copyOf(headers), 0, times, 0, Map.of(), events);
      }
      case "release":
        if (words.size() != 1) throw new IllegalArgumentException("release takes nothing");
        noResult(result, verb);
        return new Step(lineNo, text, Kind.RELEASE, 0, Map.of(), 0, times, 0, Map.of(), events);
      case "advance":
        if (words.size() != 2) throw new IllegalArgumentException("advance D");
        noResult(result, verb);
        return new Step(lineNo, text, Kind.ADVANCE, 0, Map.of(), duration(words.get(1)), times, 0, Map.of(), events);
      case "state": {
        if (words.size() != 1) throw new IllegalArgumentException("state takes nothing");
        Map<String, String> fields = new LinkedHashMap<>();
        for (String w : words(result)) {
          String[] kv = keyValue(w);
          if (!STATE_FIELDS.contains(kv[0])) throw new IllegalArgumentException("unknown state field " + kv[0]);
          fields.put(kv[0], normalizeField(kv[0], kv[1]));
        }
        if (fields.isEmpty()) throw new IllegalArgumentException("state compares at least one field");
        return new Step(lineNo, text, Kind.STATE, 0, Map.of(), 0, times, 0, fields, events);
      }
      default:
        throw new IllegalArgumentException("unknown step " + verb);
    }
  }

  private static void noResult(String result, String verb) {
    if (!result.isEmpty()) throw new IllegalArgumentException(verb + " has no result, only events");
  }

  private static List<Event> events(String cell) {
    List<Event> events = new ArrayList<>();
    if (cell.isEmpty()) return events;
    for (String e : cell.split(",")) {
      String event = e.strip();
      Matcher closed = CLOSED.matcher(event);
      if (event.equals("opened")) {
        events.add(Event.OPENED);
      } else if (event.equals("observed")) {
        events.add(Event.OBSERVED);
      } else if (closed.matches()) {
        events.add(new Event("closed", duration(closed.group(1)), closed.group(2)));
      } else {
        throw new IllegalArgumentException("unknown event " + event + " (observed, opened, closed D (429|reserve))");
      }
    }
    return List.copyOf(events);
  }

  /** A state field's expected value in the form {@link #formatField} gives actual ones. */
  private static String normalizeField(String field, String value) {
    if (value.equals("unknown")) {
      if (field.equals("closedFor") || field.equals("inFlight")) {
        throw new IllegalArgumentException(field + " is always known");
      }
      return "unknown";
    }
    switch (field) {
      case "closedFor":
      case "untilReset":
        return formatDuration(duration(value));
      default:
        long n = Long.parseLong(value);
        if (n < 0) throw new IllegalArgumentException(field + " is not negative; say unknown");
        return Long.toString(n);
    }
  }

  /** A state field as the table writes it. */
  public static String formatField(String field, long value, Duration duration) {
    switch (field) {
      case "closedFor":
        return formatDuration(duration.toNanos());
      case "untilReset":
        return duration == null ? "unknown" : formatDuration(duration.toNanos());
      case "inFlight":
        return Long.toString(value);
      default:
        return value < 0 ? "unknown" : Long.toString(value);
    }
  }

  /** The fields state() can be compared on, in the order the table lists them. */
  public static List<String> stateFields() {
    return STATE_FIELDS;
  }

  private static boolean onOff(String value) {
    if (value.equals("on")) return true;
    if (value.equals("off")) return false;
    throw new IllegalArgumentException("on or off, not " + value);
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.strip().split("\\s+")) {
      if (!w.isEmpty()) words.add(w);
    }
    return words;
  }

  private static String[] keyValue(String word) {
    int eq = word.indexOf('=');
    if (eq <= 0 || eq == word.length() - 1) throw new IllegalArgumentException("expected key=value, not " + word);
    return new String[] {word.substring(0, eq), word.substring(eq + 1)};
  }

  /** Nanoseconds of {@code 11.020s}, {@code 50ms}, {@code 1.5s}, {@code 0}: exact, or an error. */
  public static long duration(String text) {
    Matcher m = DURATION.matcher(Objects.requireNonNull(text));
    if (!m.matches()) throw new IllegalArgumentException("not a duration: " + text);
    String unit = m.group(2);
    BigDecimal amount = new BigDecimal(m.group(1));
    if (unit == null) {
      if (amount.signum() != 0) throw new IllegalArgumentException("a duration needs a unit: " + text);
      return 0;
    }
    long perUnit;
    switch (unit) {
      case "ns": perUnit = 1; break;
      case "us": case "µs": perUnit = 1_000; break;
      case "ms": perUnit = 1_000_000; break;
      case "s": perUnit = 1_000_000_000; break;
      case "m": perUnit = 60_000_000_000L; break;
      case "h": perUnit = 3_600_000_000_000L; break;
      default: perUnit = 86_400_000_000_000L; break;
    }
    try {
      return amount.multiply(BigDecimal.valueOf(perUnit)).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("not a whole number of nanoseconds: " + text, e);
    }
  }

  /** {@code 11.020s}, {@code 50ms}, {@code 0}: the shortest exact form the table also reads. */
  public static String formatDuration(long nanos) {
    if (nanos == 0) return "0";
    if (nanos < 0) return "-" + formatDuration(-nanos);
    if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
    if (nanos >= 1_000_000_000L && nanos % 1_000_000L == 0) {
      return String.format(Locale.ROOT, "%d.%03ds", nanos / 1_000_000_000L, nanos % 1_000_000_000L / 1_000_000L);
    }
    if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
    if (nanos % 1_000L == 0) return nanos / 1_000L + "us";
    return nanos + "ns";
  }
}
