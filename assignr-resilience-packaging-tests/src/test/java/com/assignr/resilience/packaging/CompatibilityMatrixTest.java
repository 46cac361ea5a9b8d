package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compatibility matrix says what the build runs. Each row names the versions of one stack
 * that the reactor's suites run against (the surefire executions of the adapters, the stacks
 * module, the starters); those versions live once, in the root POM's properties, and a row must
 * list exactly them: bump a version and the matrix must follow, or this fails.
 */
class CompatibilityMatrixTest {

  /** A row's first cell, and the root POM properties whose values it must list. */
  private static final Map<String, List<String>> ROWS = new LinkedHashMap<>();
  static {
    ROWS.put("OkHttp", List.of("okhttp5.version", "okhttp4.version"));
    ROWS.put("Retrofit", List.of("retrofit3.version", "retrofit2.version"));
    ROWS.put("Apache HttpClient 5", List.of("httpclient5-newest.version", "httpclient5.version"));
    ROWS.put("Spring Framework", List.of("spring-framework.version", "spring6.version"));
    ROWS.put("Spring Boot", List.of("spring-boot.version", "spring-boot3.version"));
    ROWS.put("Feign", List.of("feign.version"));
    ROWS.put("Lettuce (Redis)", List.of("lettuce.version"));
    ROWS.put("Micrometer", List.of("micrometer.version"));
  }

  private static final Pattern VERSION = Pattern.compile("\\b\\d+\\.\\d+(?:\\.\\d+)?(?:\\.RELEASE)?\\b");

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "docs/compatibility.md"})
  void everyRowListsExactlyTheVersionsTheBuildRuns(String page) {
    DocPages.Page doc = DocPages.read().pages().stream().filter(p -> p.name().equals(page)).findFirst()
        .orElseThrow(() -> new AssertionError("no page " + page));
    Reactor.Pom root = Reactor.read().parent();
    for (Map.Entry<String, List<String>> row : ROWS.entrySet()) {
      Matcher line = Pattern.compile("(?m)^\\| " + Pattern.quote(row.getKey()) + " \\|([^|]*)\\|").matcher(doc.text());
      assertTrue(line.find(), page + " has no row for " + row.getKey());
      Set<String> listed = new TreeSet<>();
      Matcher version = VERSION.matcher(line.group(1));
      while (version.find()) listed.add(version.group());
      Set<String> built = row.getValue().stream().map(p -> root.text("properties", p)).collect(Collectors.toCollection(TreeSet::new));
      assertFalse(built.contains(""), "a property of " + row.getKey() + " is missing from the root POM: " + row.getValue());
      assertEquals(built, listed, page + ": the " + row.getKey() + " row");
    }
  }
}
