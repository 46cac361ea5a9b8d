package com.assignr.resilience.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule for the headers every adapter adds, as a table. */
class DefaultHeadersTest {

  @ParameterizedTest(name = "{0} Accept={1} Content-Type={2} -> {3}")
  @CsvSource(nullValues = "NULL", value = {
      // method, Accept the caller set, Content-Type the caller set, what is missing
      "GET,     NULL,                NULL,                    ACCEPT",
      "get,     NULL,                NULL,                    ACCEPT",
      "GET,     application/json,    NULL,                    NONE",
      "GET,     NULL,                application/json,        ACCEPT",
      "HEAD,    NULL,                NULL,                    ACCEPT",
      "DELETE,  NULL,                NULL,                    ACCEPT",
      "PUT,     NULL,                NULL,                    ACCEPT",
      "PATCH,   NULL,                NULL,                    ACCEPT",
      "POST,    NULL,                NULL,                    BOTH",
      "post,    NULL,                NULL,                    BOTH",
      "POST,    */*,                 NULL,                    CONTENT_TYPE",
      "POST,    NULL,                application/x-www-form-urlencoded, ACCEPT",
      "POST,    text/html,           text/plain,              NONE",
      "POST,    '',                  '',                      NONE",
  })
  void whatARequestLacks(String method, String accept, String contentType, DefaultHeaders.Missing expected) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (accept != null) headers.put("accept", accept);
    if (contentType != null) headers.put("CONTENT-TYPE", contentType);
    List<String> asked = new ArrayList<>();
    DefaultHeaders.Missing missing = DefaultHeaders.missing(method, headers, (h, name) -> {
      asked.add(name);
      return h.get(name);
    });
    assertEquals(expected, missing, method + " " + headers);
    assertEquals(method.equalsIgnoreCase("POST") ? List.of("Accept", "Content-Type") : List.of("Accept"), asked,
        "Content-Type is read for a POST only");
    assertEquals(accept == null, missing.accept());
    assertEquals(contentType == null && method.toUpperCase(Locale.ROOT).equals("POST"), missing.contentType());
  }
}
