package com.assignr.resilience.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.InvalidSettingsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Redis URI holds its password in the user info, and the URI parsers quote their whole input in
 * their messages: a URI {@link RedisGateStore.Builder#build()} refuses is named without any piece
 * of its password, anywhere the refusal can be read.
 */
class RedisUriRedactionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // uri                                        | password pieces that must not appear | shown as
      "redis://:s3cret pass@host:6379               | s3cret,pass                           | redis://****@host:6379",
      "rediss://:s3cret pass@host:6379/0?timeout=1s | s3cret,pass                           | rediss://****@host:6379/0?timeout=1s",
      "redis://:s3cret%zz@host:6379                 | s3cret,%zz                            | redis://****@host:6379",
      "redis://admin:s3cret pass@host:6379          | admin,s3cret,pass                     | redis://****@host:6379",
      "redis://:s3cret/pass@host:6379               | s3cret,pass                           | redis://****@host:6379",
      "redis://:s3c@ret pass@host:6379              | s3c,ret,pass                          | redis://****@host:6379",
      "redis-sentinel://:s3cret pass@h:26379        | s3cret,pass                           | redis-sentinel://****@h:26379",
      "redis://:s3cret@[::1                         | s3cret                                | redis://****@[::1",
      "redis://:s3cret@host:99999                   | s3cret                                | redis://****@host:99999",
  })
  void aRefusedUriIsNamedWithoutItsPassword(String uri, String pieces, String shown) {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> RedisGateStore.builder().uri(uri).build());

    InvalidSettingsException.Problem problem = e.problems().get(0);
    assertEquals("uri", problem.setting());
    assertEquals(shown, problem.value());
    assertTrue(problem.rule().startsWith("must be a Redis URI such as redis://host:6379 ("), problem.rule());
    List<String> readable = new ArrayList<>(List.of(e.getMessage(), e.toString(), problem.toString(),
        problem.rule(), problem.value(), e.problems().toString(), stackTrace(e)));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) readable.add(String.valueOf(t.getMessage()));
    for (String piece : pieces.split(",")) {
      for (String text : readable) assertFalse(text.contains(piece), "'" + piece + "' in: " + text);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "redis://:s3cret pass@host:6379     | its user info (not shown) is not valid in a URI",
      "redis://:s3cret@host:99999          | Port out of range: 99999",
      "redis://:s3cret@[::1                | Expected closing bracket for IPv6 address",
  })
  void theReasonIsKeptWhereItHoldsNoSecret(String uri, String reason) {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> RedisGateStore.builder().uri(uri).build());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
