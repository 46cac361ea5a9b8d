package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.packaging.DocPages.Block;
import com.assignr.resilience.packaging.DocPages.Kind;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of README.md and docs/*.md compiles against the modules as they are now, and the
 * blocks that claim an output run (against the testkit's simulator). One javac task compiles every
 * block, each in a package of its own, so a block that stops compiling fails its own test, named
 * by page and line. How a page declares what its fragments use: see {@link DocPages}.
 */
class DocSnippetsTest {

  private static Compiled compiled;

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    Compiled all = compileAll();
    return all.sources.keySet().stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> {
      List<String> errors = all.errors.getOrDefault(block, List.of());
      assertTrue(errors.isEmpty(), () -> block.name() + " does not compile:\n" + String.join("\n", errors)
          + "\n--- as compiled ---\n" + all.sources.get(block));
    }));
  }

  @TestFactory
  Stream<DynamicTest> blocksThatClaimAnOutputRun() throws IOException {
    Compiled all = compileAll();
    return all.sources.keySet().stream().filter(b -> b.kind() == Kind.RUN)
        .map(block -> DynamicTest.dynamicTest(block.name(), () -> {
          assertTrue(all.errors.getOrDefault(block, List.of()).isEmpty(), block.name() + " does not compile");
          int ran = runTests(all, block);
          assertTrue(ran > 0, block.name() + " is marked run but has no @Test method");
        }));
  }

  @Test
  void theDocsHaveJavaBlocksAndEveryPageWithFragmentsSaysWhatTheyUse() {
    DocPages docs = DocPages.read();
    assertTrue(docs.blocks().count() >= 20, "README and docs hold the project's examples");
    for (DocPages.Page page : docs.pages()) {
      boolean fragments = page.blocks().stream().anyMatch(b -> b.kind() == Kind.STATEMENTS || b.kind() == Kind.MEMBERS);
      if (fragments) {
        assertFalse(page.imports().isEmpty(), page.name() + " has fragments but no prelude of imports");
      }
    }
  }

  /** The README stays a page a newcomer reads in five minutes; the guides hold the rest. */
  @Test
  void theReadmeIsShortAndItsQuickStartsAreTenLinesAtMost() {
    DocPages.Page readme = DocPages.read().pages().get(0);
    assertEquals("README.md", readme.name());
    long lines = readme.text().lines().count();
    assertTrue(lines <= 250, "README.md has " + lines + " lines; move detail to docs/");
    for (Block block : readme.blocks()) {
      assertTrue(block.code().lines().count() <= 10, block.name() + " is longer than a quick start");
    }
  }

  /** The check is live: a block that names a method the API does not have fails, with its page and line. */
  @Test
  void aBlockThatDoesNotCompileIsReportedByPageAndLine(@TempDir Path dir) throws IOException {
    DocPages.Page page = new DocPages.Page(dir.resolve("x.md"), "docs/x.md", "",
        List.of("import com.assignr.resilience.AssignrResilience;"), List.of(), new ArrayList<>());
    Block good = new Block(page, 3, Kind.STATEMENTS, "AssignrResilience r = AssignrResilience.defaults();\n");
    Block bad = new Block(page, 9, Kind.STATEMENTS, "AssignrResilience r = AssignrResilience.noSuchFactory();\n");
    Compiled result = compile(dir, List.of(good, bad));
    assertTrue(result.errors.getOrDefault(good, List.of()).isEmpty(), result.errors.toString());
    assertEquals(1, result.errors.get(bad).size(), result.errors.toString());
    assertTrue(result.errors.get(bad).get(0).contains("noSuchFactory"), result.errors.toString());
  }

  /** Every block of README.md and docs/, compiled once per test run (see {@link #packageOf}). */
  static synchronized Compiled compileAll() throws IOException {
    if (compiled == null) {
      // Under target/, not a JUnit temporary directory: other test classes load from it later.
      Path work = Path.of("target", "doc-snippets").toAbsolutePath();
      if (Files.exists(work)) {
        try (Stream<Path> old = Files.walk(work)) {
          old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
      compiled = compile(Files.createDirectories(work), DocPages.read().blocks().toList());
    }
    return compiled;
  }

  record Compiled(Path classes, Map<Block, String> sources, Map<Block, List<String>> errors,
                  Map<Block, String> packages) {
    /** A class loader over the compiled blocks, for tests that exercise a page's classes. */
    URLClassLoader loader() throws IOException {
      return new URLClassLoader(new URL[] {classes.toUri().toURL()}, DocSnippetsTest.class.getClassLoader());
    }

    /** The package of a page's compilation units, after checking they compiled. */
    String unitsOf(String page) {
      List<Block> units = sources.keySet().stream()
          .filter(b -> b.page().name().equals(page) && (b.kind() == Kind.UNIT || b.kind() == Kind.RUN)).toList();
      assertFalse(units.isEmpty(), page + " has no compilation units");
      units.forEach(b -> assertTrue(errors.getOrDefault(b, List.of()).isEmpty(), b.name() + " does not compile"));
      return packages.get(units.get(0));
    }
  }

  private static Compiled compile(Path dir, List<Block> blocks) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Map<Block, String> sources = new HashMap<>();
    Map<Block, String> packages = new HashMap<>();
    Map<Path, Block> byFile = new HashMap<>();
    int n = 0;
    Map<DocPages.Page, String> pagePackages = new HashMap<>();
    for (Block block : blocks) {
      // A page's compilation units share a package, so a run block can use the classes the page
      // shows; fragments get a package each (their wrapper classes all have one name).
      String pkg = block.kind() == Kind.UNIT || block.kind() == Kind.RUN
          ? pagePackages.computeIfAbsent(block.page(), p -> "snippets.p" + pagePackages.size())
          : "snippets.b" + (n++);
      String source = source(block, pkg);
      Path file = Files.createDirectories(src.resolve(pkg.replace('.', '/'))).resolve(fileName(block, source));
      Files.writeString(file, source);
      sources.put(block, source);
      packages.put(block, pkg);
      byFile.put(file.toAbsolutePath().normalize(), block);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<Block, List<String>> errors = new HashMap<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(byFile.keySet());
      javac.getTask(null, files, diagnostics,
          List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
              "-proc:none", "-Xlint:deprecation,removal", "-Xmaxerrs", "10000"),
          null, units).call();
    }
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      boolean bad = d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING
          || d.getKind() == Diagnostic.Kind.WARNING;
      if (!bad || d.getSource() == null) {
        continue;
      }
      Block block = byFile.get(Path.of(d.getSource().toUri()).toAbsolutePath().normalize());
      if (block != null) {
        errors.computeIfAbsent(block, b -> new ArrayList<>())
            .add("line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return new Compiled(classes, sources, errors, packages);
  }

  /** A block as javac sees it: units as written (in a package of their own), fragments wrapped. */
  private static String source(Block block, String pkg) {
    StringBuilder s = new StringBuilder("package ").append(pkg).append(";\n");
    if (block.kind() == Kind.UNIT || block.kind() == Kind.RUN) {
      return s.append(block.code()).toString();
    }
    block.page().imports().forEach(i -> s.append(i).append('\n'));
    s.append("@SuppressWarnings(\"unused\")\nabstract class Snippet {\n");
    block.page().members().forEach(m -> s.append("  ").append(m).append('\n'));
    if (block.kind() == Kind.MEMBERS) {
      s.append(block.code());
    } else {
      s.append("  void snippet() throws Exception {\n").append(block.code()).append("  }\n");
    }
    return s.append("}\n").toString();
  }

  private static String fileName(Block block, String source) {
    if (block.kind() == Kind.STATEMENTS || block.kind() == Kind.MEMBERS) {
      return "Snippet.java";
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)").matcher(source);
    if (m.find()) {
      return m.group(1) + ".java";
    }
    m = java.util.regex.Pattern.compile("(?m)^(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)").matcher(source);
    return (m.find() ? m.group(1) : "Unit") + ".java";
  }

  private static List<String> topLevelTypes(String source) {
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^(?:public\\s+)?(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)").matcher(source);
    while (m.find()) names.add(m.group(1));
    return names;
  }

  /** Runs every {@code @Test} method of the block's top-level classes, as JUnit would. */
  private static int runTests(Compiled all, Block block) throws Exception {
    String pkg = all.packages.get(block);
    Path dir = all.classes.resolve(pkg.replace('.', '/'));
    int ran = 0;
    try (URLClassLoader loader = all.loader(); Stream<Path> files = Files.list(dir)) {
      List<String> declared = topLevelTypes(all.sources.get(block));
      for (Path classFile : files.filter(f -> declared.contains(f.getFileName().toString().replace(".class", ""))).toList()) {
        String name = pkg + "." + classFile.getFileName().toString().replace(".class", "");
        Class<?> type = Class.forName(name, true, loader);
        for (Method method : type.getDeclaredMethods()) {
          if (!method.isAnnotationPresent(Test.class) || Modifier.isStatic(method.getModifiers())) {
            continue;
          }
          var constructor = type.getDeclaredConstructor();
          constructor.setAccessible(true);
          Object instance = constructor.newInstance();
          method.setAccessible(true);
          try {
            method.invoke(instance);
          } catch (InvocationTargetException e) {
            throw new AssertionError(block.name() + ": " + type.getSimpleName() + "." + method.getName() + " failed", e.getCause());
          }
          ran++;
        }
      }
    }
    return ran;
  }
}
