package com.assignr.resilience.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlatJsonTest {
  private static Map<String, Object> parse(String json) throws FlatJson.SyntaxException {
    return FlatJson.parseObject(json);
  }

  @Test
  void aTypicalTokenAnswerKeepsEveryTopLevelValueInOrder() throws Exception {
    Map<String, Object> m = parse("{\"access_token\":\"abc.DEF-123\",\"token_type\":\"Bearer\","
        + "\"expires_in\":7200,\"scope\":\"read write\",\"created_at\":1764072000,"
        + "\"admin\":false,\"refresh_token\":null}");
    assertEquals(List.of("access_token", "token_type", "expires_in", "scope", "created_at", "admin", "refresh_token"),
        List.copyOf(m.keySet()));
    assertEquals("abc.DEF-123", m.get("access_token"));
    assertEquals(new FlatJson.Number("7200"), m.get("expires_in"));
    assertEquals(Boolean.FALSE, m.get("admin"));
    assertSame(FlatJson.NULL, m.get("refresh_token"));
  }

  @Test
  void whitespaceEverywhereABomAndAnEmptyObjectAreFine() throws Exception {
    assertEquals(Map.of(), parse("{}"));
    assertEquals(Map.of(), parse(" \t\r\n{ \n } \n"));
    assertEquals("x", parse("\uFEFF{ \"a\" :\t\"x\" }").get("a"));
  }

  @Test
  void nestedObjectsAndArraysAreCheckedAndKeptOnlyAsNested() throws Exception {
    Map<String, Object> m = parse("{\"scope\":[\"read\",\"write\",{\"x\":[1,2.5e3,true,null,[]]}],"
        + "\"info\":{\"a\":{\"b\":{}}},\"access_token\":\"t\"}");
    assertSame(FlatJson.NESTED, m.get("scope"));
    assertSame(FlatJson.NESTED, m.get("info"));
    assertEquals("t", m.get("access_token"));
  }

  @Test
  void everyEscapeIsDecoded() throws Exception {
    assertEquals("q\"b\\s/\b\f\n\r\tAé\uD83D\uDE00",
        parse("{\"k\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00\"}").get("k"));
    assertEquals("plain", parse("{\"k\":\"plain\"}").get("k"));
    assertEquals("", parse("{\"k\":\"\"}").get("k"));
    assertEquals("x", parse("{\"\\u006b\":\"x\"}").get("k"), "keys are decoded too");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "7200, 7200",
      "0, 0",
      "-0, 0",
      "-5, -5",
      "7200.9, 7200",
      "0.5, 0",
      "7.2e3, 7200",
      "72E+2, 7200",
      "720000e-2, 7200",
      "1e-999999999999, 0",
      "1e999999999999, 9223372036854775807",
      "-1e30, -9223372036854775808",
      "9223372036854775807, 9223372036854775807",
      "9223372036854775808, 9223372036854775807",
      "0.00000000000000000000000000000000000000000001e44, 1",
  })
  void numbersTruncateTowardZeroAndSaturate(String text, long expected) throws Exception {
    Object n = parse("{\"n\":" + text + "}").get("n");
    assertEquals(new FlatJson.Number(text), n);
    assertEquals(expected, ((FlatJson.Number) n).truncatedLong());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "[]", "\"access_token\"", "7200", "null", "<html>no</html>",
      "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":1,}", "{,}", "{\"a\" 1}",
      "{a:1}", "{'a':1}", "{\"a\":'x'}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
      "{\"a\":+1}", "{\"a\":-}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":nul}",
      "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"tab\there\"}",
      "{\"a\":\"nl\nhere\"}", "{\"a\":1}x", "{\"a\":1}{}", "{} []", "{\"a\":[1,]}", "{\"a\":[1 2]}",
      "{\"a\":{\"b\"}}", "{\"a\":{\"b\":1,}}", "{\"a\":[}", "{\"a\":1 /* c */}", "{\"a\":1}\u0000",
  })
  void anythingElseIsRefused(String text) {
    assertThrows(FlatJson.SyntaxException.class, () -> parse(text), text);
  }

  @Test
  void nullInputIsRefused() {
    assertThrows(FlatJson.SyntaxException.class, () -> parse(null));
  }

  @Test
  void aKeyTwiceIsRefusedAtTheTopLevelOnly() throws Exception {
    assertThrows(FlatJson.SyntaxException.class,
        () -> parse("{\"access_token\":\"a\",\"access_token\":\"b\"}"));
    assertThrows(FlatJson.SyntaxException.class, () -> parse("{\"a\":1,\"\\u0061\":2}"), "after decoding");
    assertEquals(FlatJson.NESTED, parse("{\"x\":{\"a\":1,\"a\":2}}").get("x"));
  }

  @Test
  void depthAndSizeAreBoundedBeforeTheyCostStackOrMemory() throws Exception {
    String deep = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH) + "]".repeat(FlatJson.MAX_DEPTH) + "}";
    assertSame(FlatJson.NESTED, parse(deep).get("a"));
    String tooDeep = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH + 1) + "]".repeat(FlatJson.MAX_DEPTH + 1) + "}";
    FlatJson.SyntaxException e = assertThrows(FlatJson.SyntaxException.class, () -> parse(tooDeep));
    assertTrue(e.getMessage().contains("deeper than 32"), e.getMessage());
    String hostile = "{\"a\":" + "[".repeat(100_000);
    assertThrows(FlatJson.SyntaxException.class, () -> parse(hostile), "no StackOverflowError");

    String big = "{\"a\":\"" + "x".repeat(FlatJson.MAX_CHARS) + "\"}";
    e = assertThrows(FlatJson.SyntaxException.class, () -> parse(big));
    assertTrue(e.getMessage().contains("more than 65536"), e.getMessage());
    String justFits = "{\"a\":\"" + "x".repeat(FlatJson.MAX_CHARS - 8) + "\"}";
    assertEquals(FlatJson.MAX_CHARS, justFits.length());
    assertEquals(FlatJson.MAX_CHARS - 8, ((String) parse(justFits).get("a")).length());
  }

  @Test
  void messagesNameTheOffsetButNeverQuoteTheInput() {
    String secretish = "client_id=abc&client_secret=SUPERSECRET42&grant_type=client_credentials";
    for (String body : List.of(secretish, "<html>" + secretish + "</html>",
        "{\"error\":\"" + secretish, "{\"" + secretish + "\" 1}", "{\"a\":" + secretish + "}",
        "{\"a\":\"" + secretish + "\"}x" + secretish)) {
      FlatJson.SyntaxException e = assertThrows(FlatJson.SyntaxException.class, () -> parse(body));
      assertFalse(e.getMessage().contains("SUPERSECRET42"), e.getMessage());
      assertFalse(e.getMessage().contains("client_secret"), e.getMessage());
    }
    FlatJson.SyntaxException e = assertThrows(FlatJson.SyntaxException.class, () -> parse("{\"a\":1,}"));
    assertEquals("invalid JSON at offset 7: expected a string key", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"k\":\"\\u٠٠٤١\"}",               // Arabic-Indic digits: Character.digit reads 0041, A
      "{\"k\":\"\\u۰۰۴۱\"}",               // Extended Arabic-Indic
      "{\"k\":\"\\u००४१\"}",               // Devanagari
      "{\"k\":\"\\u００４１\"}",           // fullwidth digits
      "{\"k\":\"\\u００ａ９\"}",           // fullwidth a
      "{\"\\u٠٠٦١ccess_token\":\"t\"}",    // a key only this parser would read as access_token
  })
  void aUnicodeEscapeTakesAsciiHexDigitsOnly(String text) {
    assertThrows(FlatJson.SyntaxException.class, () -> parse(text), text);
  }

  @Test
  void aKeySpelledWithNonAsciiDigitsIsNotAnotherSpellingOfAKnownKey() throws Exception {
    assertEquals("t", parse("{\"\\u0061ccess_token\":\"t\"}").get("access_token"), "ASCII hex: the same key");
    FlatJson.SyntaxException e = assertThrows(FlatJson.SyntaxException.class,
        () -> parse("{\"access_token\":\"a\",\"\\u٠٠٦١ccess_token\":\"b\"}"));
    assertEquals("invalid JSON at offset 23: expected four hex digits", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"k\":\"\\uD83D\"}",               // a high surrogate alone
      "{\"k\":\"\\uD83Dx\"}",              // a high surrogate, then a letter
      "{\"k\":\"\\uD83D\\u0041\"}",       // a high surrogate, then an escaped letter
      "{\"k\":\"\\uD83D\\uD83D\"}",       // two high surrogates
      "{\"k\":\"\\uD83D\\n\"}",           // a high surrogate, then another escape
      "{\"k\":\"\\uDE00\"}",               // a low surrogate alone
      "{\"k\":\"\\uDE00\\uD83D\"}",       // a pair reversed
      "{\"k\":\"\\udbff\"}",               // lower case changes nothing
      "{\"\\uD800\":1}",                     // in a key
      "{\"k\":[\"\\uDC00\"]}",             // in a skipped value
  })
  void unpairedAndReversedSurrogatesAreRefused(String text) {
    assertThrows(FlatJson.SyntaxException.class, () -> parse(text), text);
  }

  @Test
  void rawUnpairedAndReversedSurrogatesAreRefused() {
    String high = String.valueOf((char) 0xD83D);
    String low = String.valueOf((char) 0xDE00);
    for (String inside : List.of(high, low, low + high, high + "x", high + "\\uDE00", "\\uD83D" + low, high + high)) {
      String text = "{\"k\":\"" + inside + "\"}";
      assertThrows(FlatJson.SyntaxException.class, () -> parse(text), inside);
    }
  }

  @Test
  void surrogatePairsAreText() throws Exception {
    String smile = new String(Character.toChars(0x1F600));
    assertEquals(smile, parse("{\"k\":\"\\uD83D\\uDE00\"}").get("k"), "escaped");
    assertEquals(smile, parse("{\"k\":\"\\ud83d\\ude00\"}").get("k"), "escaped, lower case");
    assertEquals("a" + smile + "b", parse("{\"k\":\"a" + smile + "b\"}").get("k"), "raw");
    assertEquals("\uFFFF\t", parse("{\"k\":\"\\uFFFF\\u0009\"}").get("k"), "not surrogates");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "", " ", "-", "+1", "01", "-01", "00", "1.", ".5", "1e", "1e+", "1E-", "1.5e", "--1", "1-", "0x10", "1 ", " 1",
      "NaN", "Infinity", "-Infinity", "1,5", "1.2.3", "1e2e3", "١", "１", "7200\n", "12a",
  })
  void aNumberIsValidatedWhereverItIsMade(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlatJson.Number(text));
    assertTrue(e.getMessage().startsWith("not a JSON number: invalid JSON"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "7200", "-5", "0.5", "7.2e3", "72E+2", "720000e-2", "1e999999999999",
      "0.00000000000000000000000000000000000000000001e44"})
  void numbersInTheGrammarAreKept(String text) {
    assertEquals(text, new FlatJson.Number(text).text());
  }

  @Test
  void aNullNumberIsRefused() {
    assertThrows(NullPointerException.class, () -> new FlatJson.Number(null));
  }
}
