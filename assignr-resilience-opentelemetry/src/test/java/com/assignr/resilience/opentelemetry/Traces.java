package com.assignr.resilience.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading exported spans: by kind and name, durations, and an ASCII waterfall of one trace. */
final class Traces {
  private Traces() {}

  static List<SpanData> client(List<SpanData> spans) {
    return spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  static SpanData one(List<SpanData> spans, String name) {
    List<SpanData> found = named(spans, name);
    if (found.size() != 1) throw new AssertionError("one span " + name + " expected: " + describe(spans));
    return found.get(0);
  }

  static Duration duration(SpanData s) {
    return Duration.ofNanos(s.getEndEpochNanos() - s.getStartEpochNanos());
  }

  static Long resendCount(SpanData s) {
    return s.getAttributes().get(AttributeKey.longKey("http.request.resend_count"));
  }

  static String describe(List<SpanData> spans) {
    return spans.stream().map(s -> s.getName() + "/" + s.getKind() + " " + s.getAttributes().asMap())
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  /**
   * An ASCII waterfall of {@code spans} (one trace), indented by parentage, one column per {@code
   * scale} of time, for the README and for failure messages.
   */
  static String waterfall(List<SpanData> spans, Duration scale) {
    long t0 = spans.stream().mapToLong(SpanData::getStartEpochNanos).min().orElse(0);
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
    StringBuilder out = new StringBuilder();
    spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)
        .thenComparing(s -> depth(s, byId))).forEach(s -> {
          int depth = depth(s, byId);
          String label = "  ".repeat(depth) + s.getName() + " (" + s.getKind().name().toLowerCase() + ")";
          int from = (int) ((s.getStartEpochNanos() - t0) / scale.toNanos());
          int to = (int) Math.max(from + 1, (s.getEndEpochNanos() - t0 + scale.toNanos() - 1) / scale.toNanos());
          out.append(String.format("%-32s|%s%s| %s%n", label, " ".repeat(from), "=".repeat(to - from),
              ms(duration(s)) + attributes(s)));
        });
    return out.toString();
  }

  private static String attributes(SpanData s) {
    StringBuilder b = new StringBuilder();
    s.getAttributes().forEach((k, v) -> {
      String key = k.getKey();
      if (key.equals("http.request.resend_count") || key.equals("http.response.status_code")
          || key.startsWith("assignr.wait.cause") || key.equals("assignr.give_up.reason")) {
        b.append(' ').append(key).append('=').append(v);
      }
    });
    return b.toString();
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }

  private static int depth(SpanData s, Map<String, SpanData> byId) {
    int depth = 0;
    for (SpanData p = byId.get(s.getParentSpanId()); p != null; p = byId.get(p.getParentSpanId())) depth++;
    return depth;
  }
}
