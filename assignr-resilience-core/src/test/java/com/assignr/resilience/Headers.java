package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Test helper: a case-insensitive header map built from name/value pairs. */
final class Headers implements HeaderLookup {
  private final Map<String, String> values = new LinkedHashMap<>();

  static Headers of(String... namesAndValues) {
    Headers h = new Headers();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.values.put(namesAndValues[i].toLowerCase(Locale.ROOT), namesAndValues[i + 1]);
    }
    return h;
  }

  @Override
  public String first(String name) {
    return values.get(name.toLowerCase(Locale.ROOT));
  }
}
