package com.assignr.resilience.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderValuesTest {
  /** Header numbers: a number no long holds is malformed (-1), not saturated. */
  @ParameterizedTest(name = "wholeNumber(\"{0}\") = {1}, nonNegative = {2}")
  @CsvSource(delimiter = '|', textBlock = """
      0                              | 0                   | 0
      35                             | 35                  | 35
      ' 35 '                         | 35                  | 35
      0035                           | 35                  | 35
      9223372036854775807            | 9223372036854775807 | 9223372036854775807
      9223372036854775808            | -1                  | 9223372036854775807
      92233720368547758070           | -1                  | 9223372036854775807
      999999999999999999999999999999 | -1                  | 9223372036854775807
      99999999999999999999x          | -1                  | -1
      ''                             | -1                  | -1
      ' '                            | -1                  | -1
      -1                             | -1                  | -1
      +1                             | -1                  | -1
      1.5                            | -1                  | -1
      1e3                            | -1                  | -1
      '\t12'                         | -1                  | -1
      ١٢                             | -1                  | -1
      """)
  void parsesOnlyPlainWholeNumbersALongHolds(String value, long wholeNumber, long nonNegative) {
    String v = value.replace("\\t", "\t");
    assertEquals(wholeNumber, HeaderValues.wholeNumber(v));
    assertEquals(nonNegative, HeaderValues.nonNegative(v), "the saturating form, for expires_in");
  }
}
