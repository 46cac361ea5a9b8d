package com.assignr.resilience.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code <pre>{@code ...}</pre>} example in the Javadoc of the testkit's public package
 * compiles against the current API: each becomes the body of one method (it may declare a local
 * class, as a JUnit test example does), with the imports a user of the testkit would have and a
 * field {@code sim} for examples that continue from a running simulator.
 */
class JavadocExamplesTest {
  private static final Pattern EXAMPLE =
      Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\* ?\\}</pre>", Pattern.DOTALL);
  private static final List<Path> PUBLIC_PACKAGE = List.of(
      Path.of("src/main/java/com/assignr/resilience/testkit"),
      Path.of("src/shared/java/com/assignr/resilience/testkit"));

  @Test
  void everyExampleInThePublicJavadocCompiles(@TempDir Path dir) throws IOException {
    List<String> methods = new ArrayList<>();
    for (Path folder : PUBLIC_PACKAGE) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          Matcher m = EXAMPLE.matcher(Files.readString(file));
          for (int n = 1; m.find(); n++) {
            String body = m.group(1).lines()
                .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                .collect(Collectors.joining("\n"));
            String name = file.getFileName().toString().replace(".java", "") + "_" + n;
            methods.add("  // " + file + ", example " + n + "\n"
                + "  void " + name + "() throws Exception {\n" + body + "\n  }\n");
          }
        }
      }
    }
    // VirtualTime, AssignrSimulator, AssignrSimulatorExtension, FaultScript, ScriptedResponse, GateContract.
    assertTrue(methods.size() >= 5, "examples found: " + methods.size());

    String source = """
        import static java.net.http.HttpResponse.BodyHandlers.*;
        import static org.junit.jupiter.api.Assertions.*;

        import com.assignr.resilience.*;
        import com.assignr.resilience.spi.*;
        import com.assignr.resilience.testkit.*;
        import com.github.tomakehurst.wiremock.http.Fault;
        import java.net.URI;
        import java.net.http.*;
        import java.time.*;
        import java.util.stream.Stream;
        import org.junit.jupiter.api.DynamicTest;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.TestFactory;
        import org.junit.jupiter.api.extension.RegisterExtension;

        @SuppressWarnings("unused")
        class JavadocExamples {
          AssignrSimulator sim;

        """ + String.join("\n", methods) + "}\n";
    Path file = dir.resolve("JavadocExamples.java");
    Files.writeString(file, source);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      boolean ok = compiler.getTask(diagnostics, files, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
              "-Xlint:none", "-proc:none"),
          null, files.getJavaFileObjects(file.toFile())).call();
      assertEquals(true, ok, diagnostics + "\n" + numbered(source));
    }
  }

  private static String numbered(String source) {
    List<String> lines = source.lines().toList();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      out.append(String.format("%4d  %s%n", i + 1, lines.get(i)));
    }
    return out.toString();
  }
}
