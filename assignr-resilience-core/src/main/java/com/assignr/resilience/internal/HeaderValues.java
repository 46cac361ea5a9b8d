package com.assignr.resilience.internal;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Lenient, never-throwing parsing of header values. Not for users. */
public final class HeaderValues {
  private HeaderValues() {}

  /**
   * A plain non-negative decimal integer that a {@code long} holds (surrounding spaces allowed),
   * or -1 for anything else: null, empty, signs, fractions, exponents, letters, non-ASCII digits,
   * and numbers too large for a {@code long}. For header values, where a number no {@code long}
   * holds is malformed, not far (see {@link RateLimitHeaders}).
   */
  public static long wholeNumber(String value) {
    if (value == null) return -1;
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) == ' ') start++;
    while (end > start && value.charAt(end - 1) == ' ') end--;
    if (start == end) return -1;
    boolean overflow = false;
    long result = 0;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return -1;
      int digit = c - '0';
      if (result > Long.MAX_VALUE / 10 || (result == Long.MAX_VALUE / 10 && digit > 7)) {
        overflow = true; // keep checking that the rest are digits: letters say "malformed" too
      } else {
        result = result * 10 + digit;
      }
    }
    return overflow ? -1 : result;
  }

  /**
   * {@link #wholeNumber(String)}, except that a string of digits too large for a {@code long}
   * saturates at {@link Long#MAX_VALUE}: for token lifetimes ({@code expires_in}), which the
   * caller clamps anyway. Not for rate-limit headers.
   */
  public static long nonNegative(String value) {
    long n = wholeNumber(value);
    if (n >= 0 || value == null) return n;
    String digits = value.replaceAll("^ +| +$", ""); // the spaces wholeNumber allows
    return !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9') ? Long.MAX_VALUE : -1;
  }

  /** An RFC 1123 HTTP-date, or null when it does not parse. */
  public static Instant httpDate(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) return null;
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A header value made safe to print: bounded and with control characters replaced. */
  public static String printable(String value) {
    String bounded = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    StringBuilder s = new StringBuilder(bounded.length());
    for (int i = 0; i < bounded.length(); i++) {
      char c = bounded.charAt(i);
      s.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.toString();
  }
}
