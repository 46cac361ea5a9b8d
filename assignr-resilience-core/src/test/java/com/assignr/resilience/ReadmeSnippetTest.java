package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's core API snippet must compile against the current API. */
class ReadmeSnippetTest {
  @Test
  void theCoreApiSnippetInTheReadmeCompiles(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Core API");
    assertTrue(section >= 0, "README has a Core API section");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```", start);
    String snippet = readme.substring(start, end);
    assertTrue(snippet.contains("class CoreApiExample"), snippet);

    Path source = dir.resolve("CoreApiExample.java");
    Files.writeString(source, snippet);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source.toFile());
      boolean ok = compiler.getTask(diagnostics, files, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "-Xlint:none"),
          null, units).call();
      assertEquals(true, ok, diagnostics.toString());
    }
  }
}
