package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's "Testing your own code" example runs as written: its Java block is compiled as the
 * user would paste it and run with JUnit, and it must take minutes of virtual time in seconds.
 */
class ReadmeTestingSectionTest {
  @Test
  void theTestingExampleInTheReadmeRunsAsWritten(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("\n## Testing your own code\n");
    assertTrue(section >= 0, "README has a Testing your own code section");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```", start);
    String example = readme.substring(start, end);
    assertTrue(example.contains("class GameSyncTest"), example);

    Path source = dir.resolve("GameSyncTest.java");
    Files.writeString(source, example);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      boolean ok = compiler.getTask(diagnostics, files, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
              "-Xlint:none", "-proc:none"),
          null, files.getJavaFileObjects(source.toFile())).call();
      assertEquals(true, ok, diagnostics.toString());
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> test = loader.loadClass("GameSyncTest");
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      Launcher launcher = LauncherFactory.create();
      long started = System.nanoTime();
      launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(test)).build(),
          listener);
      Duration real = Duration.ofNanos(System.nanoTime() - started);

      TestExecutionSummary summary = listener.getSummary();
      StringWriter failures = new StringWriter();
      summary.printFailuresTo(new java.io.PrintWriter(failures), 20);
      assertEquals(1, summary.getTestsSucceededCount(), failures.toString());
      assertEquals(0, summary.getTotalFailureCount(), failures.toString());
      // The example asserts at least 3 virtual minutes; real time must be far less, or it slept.
      assertTrue(real.compareTo(Duration.ofSeconds(30)) < 0, "took " + real + " of real time");
      System.out.println("README testing example: " + real.toMillis() + " ms of real time");
    }
  }
}
