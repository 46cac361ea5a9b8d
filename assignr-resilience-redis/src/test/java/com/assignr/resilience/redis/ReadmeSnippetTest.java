package com.assignr.resilience.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Several JVMs, one quota" setup must compile against the current API. */
class ReadmeSnippetTest {
  @Test
  void theSetupSnippetCompiles(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Several JVMs, one quota");
    assertTrue(section >= 0, "README has the section");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String snippet = readme.substring(start, readme.indexOf("```", start));
    assertTrue(snippet.contains("RedisGateStore.builder()"), snippet);

    Path source = dir.resolve("Setup.java");
    Files.writeString(source, "import com.assignr.resilience.*;\nimport com.assignr.resilience.redis.*;\n"
        + "class Setup {\n  AssignrResilience setup() {\n" + snippet + "    return resilience;\n  }\n}\n");
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      boolean ok = compiler.getTask(diagnostics, files, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "-Xlint:none"),
          null, files.getJavaFileObjects(source.toFile())).call();
      assertEquals(true, ok, diagnostics.toString());
    }
  }
}
