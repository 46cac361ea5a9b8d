package com.assignr.resilience.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The README's Java blocks as the build sees them: taken from the README as written, compiled as a
 * user would paste them (against the module's test class path), and loaded to be run. Shared
 * through core's test-jar so that every module checks its README section the same way.
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /**
   * The {@code index}-th (from 0) {@code ```java} block after the line {@code heading} of the
   * repository's README.md (read from a module directory, as surefire runs).
   */
  public static String javaBlock(String heading, int index) {
    String readme;
    try {
      readme = Files.readString(Path.of("..", "README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int at = readme.indexOf("\n" + heading + "\n");
    assertTrue(at >= 0, "README has the heading '" + heading + "'");
    int start = at;
    for (int i = 0; i <= index; i++) {
      start = readme.indexOf("```java\n", start);
      assertTrue(start >= 0, "README has java block " + index + " after '" + heading + "'");
      start += "```java\n".length();
    }
    return readme.substring(start, readme.indexOf("```", start));
  }

  /**
   * Compiles top-level classes ({@code name} and {@code source}, in pairs) into {@code dir} with
   * every lint warning an error, and returns a loader for them on top of the test's own.
   */
  public static URLClassLoader compile(Path dir, String... namesAndSources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    List<Path> files = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < namesAndSources.length; i += 2) {
      Path file = dir.resolve(namesAndSources[i] + ".java");
      Files.writeString(file, namesAndSources[i + 1]);
      files.add(file);
      all.append(namesAndSources[i + 1]);
    }
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(diagnostics, fm, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none",
              "-Xlint:all", "-Werror"),
          null, fm.getJavaFileObjectsFromPaths(files)).call();
      assertEquals(true, ok, diagnostics + "\n" + all);
    }
    try {
      return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeSnippets.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
