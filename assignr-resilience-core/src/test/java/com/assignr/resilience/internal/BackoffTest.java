package com.assignr.resilience.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one backoff formula, as a table: base × multiplier^(n−1), capped, its top jitter fraction drawn away. */
class BackoffTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // case                                          | base ms | cap ms | mult | jitter | attempt | draw      | delay ns
      "jitter 0.25, attempt 1, draw 0                   | 500     | 30000  | 2    | 0.25   | 1       | 0         | 500000000",
      "the engine defaults (jitter 0.5): draw 1 halves  | 500     | 30000  | 2    | 0.5    | 1       | 1         | 250000000",
      "attempt 2 doubles                                | 500     | 30000  | 2    | 0.25   | 2       | 0         | 1000000000",
      "attempt 4                                        | 500     | 30000  | 2    | 0.25   | 4       | 0         | 4000000000",
      "a draw of 0.5 takes an eighth away               | 500     | 30000  | 2    | 0.25   | 4       | 0.5       | 3500000000",
      "a draw near 1 takes a quarter away               | 500     | 30000  | 2    | 0.25   | 1       | 0.9999999 | 375000012",
      "a draw of 1 takes the whole jitter away          | 500     | 30000  | 2    | 0.25   | 1       | 1         | 375000000",
      "attempt 7 reaches the cap                        | 500     | 30000  | 2    | 0.25   | 7       | 0         | 30000000000",
      "attempt 100 stays at the cap                     | 500     | 30000  | 2    | 0.25   | 100     | 0         | 30000000000",
      "an attempt where pow overflows: the cap           | 500     | 30000  | 2    | 0.25   | 2147483647 | 0      | 30000000000",
      "the cap is jittered too                          | 500     | 30000  | 2    | 0.25   | 100     | 1         | 22500000000",
      "attempt 0 counts as 1                            | 500     | 30000  | 2    | 0.25   | 0       | 0         | 500000000",
      "a negative attempt counts as 1                   | 500     | 30000  | 2    | 0.25   | -3      | 0         | 500000000",
      "a multiplier of 1 never grows                    | 200     | 1000   | 1    | 0      | 9       | 0.7       | 200000000",
      "a fractional multiplier                          | 100     | 1000   | 1.5  | 0      | 3       | 0         | 225000000",
      "jitter 0 ignores the draw                        | 100     | 1000   | 2    | 0      | 2       | 0.99      | 200000000",
      "the token refresher: 1 s, jitter 0.5, draw 0     | 1000    | 60000  | 2    | 0.5    | 3       | 0         | 4000000000",
      "the token refresher: draw 1 halves it            | 1000    | 60000  | 2    | 0.5    | 3       | 1         | 2000000000",
      "jitter 1 can take everything                     | 1000    | 60000  | 2    | 1      | 1       | 1         | 0",
      "a draw below 0 is clamped to 0                   | 500     | 30000  | 2    | 0.25   | 1       | -5        | 500000000",
      "a draw above 1 is clamped to 1                   | 500     | 30000  | 2    | 0.25   | 1       | 7         | 375000000",
      "a NaN draw counts as 0                           | 500     | 30000  | 2    | 0.25   | 1       | NaN       | 500000000",
      "the Redis probe: 100 ms doubling to 1 s, 1st     | 100     | 1000   | 2    | 0      | 1       | 0         | 100000000",
      "the Redis probe, 4th                             | 100     | 1000   | 2    | 0      | 4       | 0         | 800000000",
      "the Redis probe, 5th is the interval             | 100     | 1000   | 2    | 0      | 5       | 0         | 1000000000",
      "base equal to cap                                | 10      | 10     | 2    | 0      | 3       | 0         | 10000000",
  })
  void delays(String name, long baseMillis, long capMillis, double multiplier, double jitter, int attempt,
      double draw, long expectedNanos) {
    Backoff backoff = Backoff.of(Duration.ofMillis(baseMillis), Duration.ofMillis(capMillis), multiplier, jitter);
    assertEquals(expectedNanos, backoff.delayNanos(attempt, draw), name + ": " + backoff);
  }

  @ParameterizedTest(name = "base={0}ns cap={1}ns multiplier={2} jitter={3}")
  @CsvSource({
      "0,    10, 2,        0",
      "-1,   10, 2,        0",
      "11,   10, 2,        0",
      "1,    10, 0.5,      0",
      "1,    10, NaN,      0",
      "1,    10, Infinity, 0",
      "1,    10, 2,        -0.1",
      "1,    10, 2,        1.1",
      "1,    10, 2,        NaN",
  })
  void meaninglessSettingsAreRefused(long base, long cap, double multiplier, double jitter) {
    assertThrows(IllegalArgumentException.class, () -> Backoff.ofNanos(base, cap, multiplier, jitter));
  }
}
