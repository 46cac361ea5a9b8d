package com.assignr.resilience.oauth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A strict parser for the one JSON shape the library reads: an OAuth token answer, a small flat
 * object such as {@code {"access_token":"…","token_type":"Bearer","expires_in":7200}}. Core may
 * not depend on Jackson, and this is all it needs. Not for users.
 *
 * <h2>What it accepts, and why</h2>
 *
 * <ul>
 *   <li>Exactly RFC 8259 syntax (no comments, single quotes, trailing commas, leading zeros, bare
 *       words, {@code NaN}); the top level must be an object. A leading UTF-8 byte-order mark and
 *       surrounding whitespace are skipped: some servers send them, and they are harmless.
 *   <li>Strings hold Unicode text only: a <code>&#92;u</code> escape takes four ASCII hex digits (not
 *       <code>&#92;u٠٠٤١</code> or fullwidth digits, which {@code Character.digit} would read as {@code A}),
 *       and a surrogate, escaped or not, must be a high one followed by a low one. RFC 8259 §8.2
 *       lets a parser refuse an unpaired surrogate; this one does, so that a key cannot be spelled
 *       two ways and no string decodes to something that is not text.
 *   <li>Top-level values that are strings, numbers, booleans and {@code null} are kept; nested
 *       objects and arrays are checked for syntax and kept only as {@link #NESTED}, since a token
 *       answer's fields of interest are all flat but servers add extras ({@code "scope":["read"]}).
 *   <li>A key that appears twice at the top level is refused: an answer with two {@code
 *       access_token}s is not one to guess about.
 *   <li>Numbers are kept as their validated text ({@link Number}), never as a {@code double} or a
 *       {@code BigDecimal}: {@code 1e999999999} must cost nothing to hold and nothing to compare.
 * </ul>
 *
 * <h2>What it refuses, and how</h2>
 *
 * Input over {@link #MAX_CHARS} characters or nested deeper than {@link #MAX_DEPTH} is refused
 * before it can cost memory or stack. Every refusal is a {@link SyntaxException} whose message names
 * only the offset and what was expected, <em>never</em> a piece of the input: a token endpoint's
 * answer may contain a token, and its error page may echo the request with the client secret.
 */
final class FlatJson {
  /** The most characters parsed; a token answer is a few hundred. */
  public static final int MAX_CHARS = 64 * 1024;
  /** The deepest nesting of skipped values. */
  public static final int MAX_DEPTH = 32;

  /** The value kept for a nested object or array. */
  public static final Object NESTED = new Object() {
    @Override
    public String toString() {
      return "NESTED";
    }
  };

  /** The value kept for a JSON {@code null}. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "NULL";
    }
  };

  /**
   * A JSON number, as its validated text.
   *
   * @param text a number in RFC 8259's grammar, e.g. {@code 7200}, {@code -0.5}, {@code 7.2e3}
   */
  public record Number(String text) {
    /**
     * @throws NullPointerException for null
     * @throws IllegalArgumentException when {@code text} is not one JSON number (the message names
     *     the offset, never the text)
     */
    public Number {
      Objects.requireNonNull(text, "text");
      try {
        int end = numberEnd(text, 0);
        if (end != text.length()) throw error(text, end, "the end of the number");
      } catch (SyntaxException e) {
        throw new IllegalArgumentException("not a JSON number: " + e.getMessage(), e);
      }
    }

    /**
     * The number rounded toward zero to a {@code long}, saturating at {@link Long#MAX_VALUE} and
     * {@link Long#MIN_VALUE}: {@code 7200}, {@code 7200.9}, {@code 7.2e3} are all 7200.
     *
     * @return the integer part, saturated
     */
    public long truncatedLong() {
      String s = text;
      boolean negative = s.charAt(0) == '-';
      int i = negative ? 1 : 0;
      StringBuilder digits = new StringBuilder();
      int fractionDigits = 0;
      boolean inFraction = false;
      long exponent = 0;
      for (; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '.') {
          inFraction = true;
        } else if (c == 'e' || c == 'E') {
          exponent = saturatedExponent(s, i + 1);
          break;
        } else {
          digits.append(c);
          if (inFraction) fractionDigits++;
        }
      }
      int firstNonZero = 0;
      while (firstNonZero < digits.length() && digits.charAt(firstNonZero) == '0') firstNonZero++;
      if (firstNonZero == digits.length()) return 0;
      String significant = digits.substring(firstNonZero);
      // value = significant × 10^(exponent − fractionDigits)
      long scale = exponent - fractionDigits;
      long integerDigits = significant.length() + scale;
      if (integerDigits <= 0) return 0;
      if (integerDigits > 19) return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
      StringBuilder integer = new StringBuilder(19);
      for (int k = 0; k < integerDigits; k++) integer.append(k < significant.length() ? significant.charAt(k) : '0');
      long magnitude = 0;
      for (int k = 0; k < integer.length(); k++) {
        int d = integer.charAt(k) - '0';
        if (magnitude > (Long.MAX_VALUE - d) / 10) return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        magnitude = magnitude * 10 + d;
      }
      return negative ? -magnitude : magnitude;
    }

    private static long saturatedExponent(String s, int from) {
      boolean negative = false;
      int i = from;
      if (s.charAt(i) == '+' || s.charAt(i) == '-') {
        negative = s.charAt(i) == '-';
        i++;
      }
      long e = 0;
      for (; i < s.length(); i++) {
        e = Math.min(1_000_000_000L, e * 10 + (s.charAt(i) - '0'));
      }
      return negative ? -e : e;
    }
  }

  /** The input is not a JSON object this parser accepts. The message never quotes the input. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private final String in;
  private int pos;

  private FlatJson(String in) {
    this.in = in;
  }

  /**
   * Parses a JSON object.
   *
   * @param text the whole answer
   * @return its top-level members in order: {@link String}, {@link Number}, {@link Boolean},
   *     {@link #NULL} or {@link #NESTED}; unmodifiable
   * @throws SyntaxException when {@code text} is not one JSON object, is too long or too deep
   */
  public static Map<String, Object> parseObject(String text) throws SyntaxException {
    if (text == null) throw new SyntaxException("no JSON: the body is empty");
    if (text.length() > MAX_CHARS) {
      throw new SyntaxException("not accepted: the body has " + text.length() + " characters, more than "
          + MAX_CHARS);
    }
    FlatJson p = new FlatJson(text);
    if (p.pos < text.length() && text.charAt(p.pos) == '\uFEFF') p.pos++;
    p.skipWhitespace();
    if (p.pos == text.length()) throw new SyntaxException("no JSON: the body is empty");
    if (text.charAt(p.pos) != '{') throw new SyntaxException("not a JSON object: it does not start with '{'");
    Map<String, Object> members = p.object();
    p.skipWhitespace();
    if (p.pos != text.length()) throw p.error("the end of the input after the object");
    return Collections.unmodifiableMap(members);
  }

  private Map<String, Object> object() throws SyntaxException {
    Map<String, Object> members = new LinkedHashMap<>();
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return members;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') throw error("a string key");
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = value(1);
      if (members.putIfAbsent(key, value) != null) {
        throw new SyntaxException("invalid JSON at offset " + keyAt + ": a key appears twice");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') return members;
      if (c != ',') {
        pos--;
        throw error("',' or '}'");
      }
    }
  }

  private Object value(int depth) throws SyntaxException {
    char c = peek();
    switch (c) {
      case '"': return string();
      case '{':
      case '[':
        skipNested(depth);
        return NESTED;
      case 't': literal("true"); return Boolean.TRUE;
      case 'f': literal("false"); return Boolean.FALSE;
      case 'n': literal("null"); return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("a value");
    }
  }

  /** Checks a nested object or array for syntax and discards it. */
  private void skipNested(int depth) throws SyntaxException {
    if (depth > MAX_DEPTH) {
      throw new SyntaxException("not accepted at offset " + pos + ": nested deeper than " + MAX_DEPTH);
    }
    char open = in.charAt(pos++);
    char close = open == '{' ? '}' : ']';
    skipWhitespace();
    if (peek() == close) {
      pos++;
      return;
    }
    while (true) {
      skipWhitespace();
      if (open == '{') {
        if (peek() != '"') throw error("a string key");
        string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
      }
      char c = peek();
      if (c == '{' || c == '[') {
        skipNested(depth + 1);
      } else {
        value(depth + 1);
      }
      skipWhitespace();
      char next = peek();
      pos++;
      if (next == close) return;
      if (next != ',') {
        pos--;
        throw error("',' or '" + close + "'");
      }
    }
  }

  private String string() throws SyntaxException {
    int start = pos;
    pos++; // opening quote
    StringBuilder s = null;
    int runStart = pos;
    while (true) {
      if (pos >= in.length()) {
        throw new SyntaxException("invalid JSON at offset " + start + ": a string is not terminated");
      }
      char c = in.charAt(pos);
      if (c == '"') {
        String result = s == null ? in.substring(runStart, pos) : s.append(in, runStart, pos).toString();
        pos++;
        return result;
      }
      if (c < 0x20) throw error("no control character inside a string");
      if (Character.isSurrogate(c)) {
        // A raw surrogate must be the high half of a pair: a lone one is no Unicode text.
        if (!Character.isHighSurrogate(c) || pos + 1 >= in.length() || !Character.isLowSurrogate(in.charAt(pos + 1))) {
          throw error("no unpaired surrogate inside a string");
        }
        pos += 2;
        continue;
      }
      if (c == '\\') {
        if (s == null) s = new StringBuilder();
        s.append(in, runStart, pos);
        pos++;
        if (pos >= in.length()) throw error("an escape sequence");
        char e = in.charAt(pos++);
        switch (e) {
          case '"': s.append('"'); break;
          case '\\': s.append('\\'); break;
          case '/': s.append('/'); break;
          case 'b': s.append('\b'); break;
          case 'f': s.append('\f'); break;
          case 'n': s.append('\n'); break;
          case 'r': s.append('\r'); break;
          case 't': s.append('\t'); break;
          case 'u': s.append(codePointEscape(pos - 2)); break;
          default:
            pos--;
            throw error("a valid escape sequence");
        }
        runStart = pos;
      } else {
        pos++;
      }
    }
  }

  /**
   * The text of a <code>&#92;u</code> escape whose four digits start at the cursor: one character, or a
   * surrogate pair written as two escapes (<code>&#92;uD83D&#92;uDE00</code>). RFC 8259 §8.2 leaves an
   * unpaired surrogate's meaning to the parser; this one refuses it, and a pair in the wrong order,
   * since neither is text: a key or token holding one could compare unequal to itself once decoded.
   *
   * @param escapeAt the offset of the backslash, for the message
   */
  private String codePointEscape(int escapeAt) throws SyntaxException {
    char c = unicodeEscape();
    if (!Character.isSurrogate(c)) return String.valueOf(c);
    if (Character.isHighSurrogate(c) && in.startsWith("\\u", pos)) {
      int mark = pos;
      pos += 2;
      char low = unicodeEscape();
      if (Character.isLowSurrogate(low)) return new String(new char[] {c, low});
      pos = mark;
    }
    throw new SyntaxException("invalid JSON at offset " + escapeAt + ": expected a \\u escape that is not an unpaired"
        + " or reversed surrogate");
  }

  /** The four hex digits after <code>&#92;u</code>, ASCII only: {@code Character.digit} would take ٠ and ０. */
  private char unicodeEscape() throws SyntaxException {
    if (pos + 4 > in.length()) throw error("four hex digits");
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = hexDigit(in.charAt(pos));
      if (d < 0) throw error("four hex digits");
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  private Number number() throws SyntaxException {
    int start = pos;
    pos = numberEnd(in, pos);
    return new Number(in.substring(start, pos));
  }

  /**
   * RFC 8259's number grammar, the one owner of it ({@link Number}'s constructor runs it too):
   * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, ASCII digits only.
   *
   * @return the offset after the number that starts at {@code pos}
   */
  private static int numberEnd(String s, int pos) throws SyntaxException {
    if (charAt(s, pos) == '-') pos++;
    if (charAt(s, pos) == '0') {
      pos++;
      if (isDigit(charAt(s, pos))) throw error(s, pos, "no leading zero");
    } else {
      if (!isDigit(charAt(s, pos))) throw error(s, pos, "a digit");
      while (isDigit(charAt(s, pos))) pos++;
    }
    if (charAt(s, pos) == '.') {
      pos++;
      if (!isDigit(charAt(s, pos))) throw error(s, pos, "a digit after '.'");
      while (isDigit(charAt(s, pos))) pos++;
    }
    if (charAt(s, pos) == 'e' || charAt(s, pos) == 'E') {
      pos++;
      if (charAt(s, pos) == '+' || charAt(s, pos) == '-') pos++;
      if (!isDigit(charAt(s, pos))) throw error(s, pos, "a digit in the exponent");
      while (isDigit(charAt(s, pos))) pos++;
    }
    return pos;
  }

  /** The character at {@code pos}, or {@code '\0'} at the end (never valid where it is checked). */
  private static char charAt(String s, int pos) {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void literal(String word) throws SyntaxException {
    if (!in.startsWith(word, pos)) throw error("a value");
    pos += word.length();
  }

  private void expect(char c) throws SyntaxException {
    if (peek() != c) throw error("'" + c + "'");
    pos++;
  }

  /** The character at the cursor, or {@code '\0'} at the end (never valid where it is checked). */
  private char peek() {
    return pos < in.length() ? in.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private SyntaxException error(String expected) {
    return error(in, pos, expected);
  }

  private static SyntaxException error(String in, int pos, String expected) {
    if (pos >= in.length()) {
      return new SyntaxException("invalid JSON: the input ends where " + expected + " was expected");
    }
    return new SyntaxException("invalid JSON at offset " + pos + ": expected " + expected);
  }
}
