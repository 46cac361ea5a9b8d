package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassificationTest {
  @ParameterizedTest(name = "{0} is {1}, retried {2}, a service failure: {3}")
  @CsvSource({
      "200, SUCCESS,             NEVER,      false",
      "201, SUCCESS,             NEVER,      false",
      "204, SUCCESS,             NEVER,      false",
      "302, INSECURE_REDIRECT,   NEVER,      false",
      "400, BAD_REQUEST,         NEVER,      false",
      "401, UNAUTHORIZED,        NEVER,      false",
      "402, PAYMENT_REQUIRED,    NEVER,      false",
      "403, FORBIDDEN,           NEVER,      false",
      "404, NOT_FOUND,           NEVER,      false",
      "409, CONFLICT,            NEVER,      false",
      "410, CLIENT_ERROR,        NEVER,      false",
      "422, VALIDATION_FAILED,   NEVER,      false",
      "429, RATE_LIMITED,        ALWAYS,     false",
      "500, SERVER_ERROR,        IDEMPOTENT, true",
      "502, SERVER_ERROR,        IDEMPOTENT, true",
      "503, SERVICE_UNAVAILABLE, ALWAYS,     true",
      "504, SERVER_ERROR,        IDEMPOTENT, true",
      "101, UNEXPECTED_STATUS,   NEVER,      false",
      "304, UNEXPECTED_STATUS,   NEVER,      false",
  })
  void everySeedStatusHasItsMeaningAndRule(int status, Classification expected, RetryRule rule, boolean failure) {
    Classification actual = Classification.ofStatus(status);
    assertEquals(expected, actual);
    assertEquals(rule, actual.defaultRule());
    assertEquals(failure, actual.isServiceFailure());
  }
}
