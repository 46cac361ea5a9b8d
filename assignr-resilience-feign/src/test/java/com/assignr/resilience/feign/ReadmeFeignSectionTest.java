package com.assignr.resilience.feign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** The quick start of the README's Feign section compiles against this module and Feign. */
class ReadmeFeignSectionTest {
  @Test
  void theQuickStartCompiles(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Feign: `assignr-resilience-feign`");
    assertTrue(section >= 0, "README has the Feign section");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String snippet = readme.substring(start, readme.indexOf("```", start));
    assertTrue(snippet.contains("AssignrFeign.okHttp("), snippet);
    assertTrue(snippet.lines().count() <= 10, "a quick start of at most 10 lines");

    String source = String.join("\n",
        "import com.assignr.resilience.AssignrResilience;",
        "import com.assignr.resilience.feign.AssignrFeign;",
        "import feign.Feign;",
        "import okhttp3.OkHttpClient;",
        "class QuickStart {",
        "  interface Assignr {}",
        "  static Assignr build(AssignrResilience resilience, okhttp3.Interceptor yourAuthorizationInterceptor,",
        "      feign.codec.Decoder yourDecoder) {",
        snippet,
        "    return api;",
        "  }",
        "}");
    Path file = dir.resolve("QuickStart.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(diagnostics, files, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "-Xlint:all", "-Werror"),
          null, files.getJavaFileObjects(file.toFile())).call();
      assertEquals(true, ok, diagnostics + "\n" + source);
    }
  }
}
