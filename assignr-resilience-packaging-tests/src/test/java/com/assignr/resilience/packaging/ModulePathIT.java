package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Each program under {@code src/test/apps} is a small named module, as a user would write it,
 * compiled with javac and run in a child JVM with {@code --module-path} and no other flag (no
 * {@code --add-modules}, {@code --add-reads} or {@code --add-opens}). It calls a loopback server
 * through the adapter and is answered 503, then 200, so the engine, the gate, the default SLF4J
 * listener and the adapter's internals all run. A missing or wrong {@code requires} fails here as
 * it would for a user: javac rejects the program, or the JVM cannot resolve the modules, or a class
 * is not found when the call runs.
 *
 * <p>The module path is the adapters' runtime dependencies as Maven resolves them for a user
 * ({@code target/module-path.txt}: the reactor's jars, SLF4J with slf4j-simple, Resilience4j,
 * OkHttp 5 with okio and kotlin-stdlib, Feign 13 with feign-okhttp and feign-java11).
 * Resilience4j-retry, core's optional dependency, is not on it: its {@code requires static} must
 * hold.
 */
@Execution(ExecutionMode.CONCURRENT) // independent programs; see junit-platform.properties
class ModulePathIT {
  private static final Path APPS = Path.of("src/test/apps");

  private static List<Path> modulePath;
  private static List<Path> testClassPath;

  @BeforeAll
  static void readPaths() throws IOException {
    modulePath = readPath("module.path.file");
    testClassPath = readPath("test.class.path.file");
  }

  @Test
  void theOkHttpAdapterOnOkHttp5(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("okhttp", "common"), modulePath, List.of());
    assertTrue(run.out.contains("interceptor: 200 after 2 requests"), run.toString());
    assertTrue(run.out.contains("call factory: 200"), run.toString());
    assertTrue(run.out.contains("okhttp 5.") && run.out.contains("from module okhttp3"), run.toString());
    assertLoggedTheRetry(run);
  }

  /**
   * OkHttp 4.12 is an automatic module that requires nothing, so the adapter's own {@code requires
   * kotlin.stdlib} is what resolves Kotlin. It runs with the okio and kotlin-stdlib of the module
   * path, OkHttp 5's, which are newer than 4.12's own and compatible with them.
   */
  @Test
  void theOkHttpAdapterOnOkHttp4AnAutomaticModule(@TempDir Path dir) throws Exception {
    Path okhttp4;
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty("okhttp4.dir")))) {
      okhttp4 = jars.filter(p -> p.getFileName().toString().startsWith("okhttp-4.")).findFirst()
          .orElseThrow();
    }
    List<Path> path = new ArrayList<>();
    for (Path entry : modulePath) {
      path.add(entry.getFileName().toString().startsWith("okhttp-jvm-") ? okhttp4 : entry);
    }
    Result run = compileAndRun(dir, List.of("okhttp", "common"), path, List.of());
    assertTrue(run.out.contains("interceptor: 200 after 2 requests"), run.toString());
    assertTrue(run.out.contains("call factory: 200"), run.toString());
    assertTrue(run.out.contains("okhttp 4.12") && run.out.contains("from module okhttp3"), run.toString());
    assertLoggedTheRetry(run);
  }

  @Test
  void theJdkAdapter(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("jdk", "common"), modulePath, List.of());
    assertTrue(run.out.contains("send: 200 after 2 requests"), run.toString());
    assertTrue(run.out.contains("sendAsync: 200 {\"ok\":true}"), run.toString());
    assertLoggedTheRetry(run);
  }

  /** The workflows module beside the JDK adapter: paging and read-modify-write, no JSON library. */
  @Test
  void theWorkflowsModule(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("workflows", "common"), modulePath, List.of());
    assertTrue(run.out.contains("paging: [{\"ok\":true}] after 2 requests, complete true, assignr-pages:1;pages=1;records=1;next="),
        run.toString());
    assertTrue(run.out.contains("read-modify-write: Saved in 1 write"), run.toString());
    assertLoggedTheRetry(run);
  }

  /**
   * The OAuth module on the module path: its default java.net.http transport, and the OkHttp
   * adapter's transport, whose {@code requires static} of the OAuth module the application's own
   * {@code requires} resolves.
   */
  @Test
  void theOAuthModuleOnJavaNetHttpAndOnOkHttp(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("oauth"), modulePath, List.of());
    assertTrue(run.out.contains("java.net.http transport: 200 with a managed token"), run.toString());
    assertTrue(run.out.contains("okhttp transport: 200 with a managed token"), run.toString());
  }

  /**
   * Core is the engine and the gate only: {@code jdeps} of its jar names SLF4J and Resilience4j
   * besides the JDK's java.base, nothing else (OAuth, JSON and HTTP live in other modules).
   * Resilience4j-retry, core's optional dependency, is not on this module path (see the class
   * comment), so jdeps finds its packages "not found": those, and only those, may be.
   */
  @Test
  void coreDependsOnlyOnSlf4jAndResilience4j() throws Exception {
    Path core = modulePath.stream().filter(p -> p.getFileName().toString().startsWith("assignr-resilience-core-"))
        .findFirst().orElseThrow();
    java.util.spi.ToolProvider jdeps = java.util.spi.ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int exit = jdeps.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "--multi-release", "17",
        "--module-path", join(modulePath), "-verbose:package", core.toString());
    assertEquals(0, exit, out.toString());
    Set<String> modules = new java.util.TreeSet<>();
    Set<String> notFound = new java.util.TreeSet<>();
    for (String line : out.toString().split("\\R")) {
      String[] parts = line.trim().split("\\s+");
      int arrow = java.util.Arrays.asList(parts).indexOf("->");
      if (arrow < 0 || arrow + 1 >= parts.length) continue;
      if (line.substring(line.indexOf("->") + 2).trim().equals("not found")) continue; // the summary of the below
      String rest = String.join(" ", java.util.Arrays.copyOfRange(parts, arrow + 2, parts.length));
      if (rest.equals("not found")) notFound.add(parts[arrow + 1]);
      else if (!rest.isEmpty()) modules.add(rest);
    }
    modules.remove("com.assignr.resilience"); // its own packages
    assertEquals(Set.of("io.github.resilience4j.circuitbreaker", "io.github.resilience4j.core", "java.base",
        "org.slf4j"), modules, out.toString());
    assertTrue(!notFound.isEmpty() && notFound.stream().allMatch(p -> p.startsWith("io.github.resilience4j.retry")),
        "only the optional resilience4j-retry may be missing: " + notFound + "\n" + out);
  }

  /**
   * The Feign module on feign-okhttp, then on feign-java11, each program requiring only the
   * transport it uses: the module's requires of the other are static, and nothing of it is
   * resolved. Feign enriches its builder through the capability reflectively, across modules.
   */
  @Test
  void theFeignModuleOnFeignOkHttp(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("feign-okhttp", "common"), modulePath, List.of());
    assertTrue(run.out.contains("feign-okhttp: {\"ok\":true} after 2 requests, feign.java11 resolved: false"),
        run.toString());
    assertLoggedTheRetry(run);
  }

  @Test
  void theFeignModuleOnFeignJava11WithoutOkHttp(@TempDir Path dir) throws Exception {
    Result run = compileAndRun(dir, List.of("feign-java11", "common"), modulePath, List.of());
    assertTrue(run.out.contains("feign-java11: {\"ok\":true} after 2 requests, okhttp3 resolved: false"),
        run.toString());
    assertLoggedTheRetry(run);
  }

  /**
   * HttpClient 5 ships automatic modules (httpclient5, httpcore5, httpcore5-h2): the adapter's
   * {@code requires transitive} of httpclient5 gives the program the builder, its own {@code
   * requires} of httpcore5 resolves HttpClient's requests and entities, and the chain reads
   * HttpClient's private fields ({@code isConfigured}) because automatic modules open every package.
   * HttpClient 5.6 (provided in the adapter, so not in module-path.txt) is copied by the pom, as the
   * application's own dependency. The program does not require jdk.net, which HttpClient 5.6 needs:
   * the adapter's descriptor resolves it.
   */
  @Test
  void theHttpClient5AdapterOnHttpClientsAutomaticModules(@TempDir Path dir) throws Exception {
    List<Path> path = new ArrayList<>(modulePath);
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty("httpclient5.dir")))) {
      jars.sorted().forEach(path::add);
    }
    assertEquals(3, path.size() - modulePath.size(), "httpclient5, httpcore5, httpcore5-h2: " + path);
    Result run = compileAndRun(dir, List.of("httpclient5", "common"), path, List.of());
    assertTrue(run.out.contains("execute: 200 after 2 requests"), run.toString());
    assertTrue(run.out.contains("body: {\"ok\":true}"), run.toString());
    assertTrue(run.out.contains("configured: true"), run.toString());
    assertTrue(run.out.contains("httpclient5 5.") && run.out.contains("from module org.apache.httpcomponents.client5.httpclient5"),
        run.toString());
    assertLoggedTheRetry(run);
  }

  /**
   * The testkit is an automatic module (WireMock's jar cannot be a module): on the module path it
   * reads WireMock and the rest of the simulator's dependencies from the class path, and a test
   * module gets {@code VirtualTime} from it. Twelve calls through a 5-per-minute limit take minutes
   * of virtual time.
   */
  @Test
  void theTestkitAsAnAutomaticModuleWithWireMockOnTheClassPath(@TempDir Path dir) throws Exception {
    Path testkit = testClassPath.stream()
        .filter(p -> p.toString().contains("assignr-resilience-testkit")).findFirst().orElseThrow();
    List<Path> path = new ArrayList<>(modulePath);
    path.add(testkit);
    Set<Path> onModulePath = Set.copyOf(path);
    List<Path> classPath = testClassPath.stream().filter(p -> !onModulePath.contains(p)).toList();

    Result run = compileAndRun(dir, List.of("testkit"), path, classPath);
    assertTrue(run.out.contains("simulator: 12 x 200, 0 x 429, virtual minutes "), run.toString());
    long minutes = Long.parseLong(run.out.replaceAll("(?s).*virtual minutes (\\d+).*", "$1"));
    assertTrue(minutes >= 2, run.toString());
  }

  private static void assertLoggedTheRetry(Result run) {
    // The issue this answers: automatic modules needed --add-modules org.slf4j. Now core's
    // descriptor resolves org.slf4j and slf4j-simple is bound as its provider.
    assertTrue(run.err.contains("INFO com.assignr.resilience - ") && run.err.contains("retrying"),
        run.toString());
  }

  /** Compiles the module {@code app} from the given folders of src/test/apps and runs it. */
  private static Result compileAndRun(Path dir, List<String> sourceFolders, List<Path> modulePath,
      List<Path> classPath) throws Exception {
    Path classes = dir.resolve("classes");
    List<File> sources = new ArrayList<>();
    for (String folder : sourceFolders) {
      try (Stream<Path> files = Files.walk(APPS.resolve(folder))) {
        files.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).forEach(sources::add);
      }
    }
    List<String> options = new ArrayList<>(List.of("--release", "17",
        "-d", classes.toString(), "--module-path", join(modulePath)));
    if (!classPath.isEmpty()) options.addAll(List.of("--class-path", join(classPath)));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(diagnostics, files, null, options, null,
          files.getJavaFileObjectsFromFiles(sources)).call();
      assertTrue(ok, "javac " + String.join(" ", options) + "\n" + diagnostics);
    }

    List<Path> runtimePath = new ArrayList<>();
    runtimePath.add(classes);
    runtimePath.addAll(modulePath);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--module-path", join(runtimePath)));
    if (!classPath.isEmpty()) command.addAll(List.of("--class-path", join(classPath)));
    command.addAll(List.of("--module", "app/app.Main"));

    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) process.destroyForcibly().waitFor();
    Result result = new Result(String.join(" ", command), finished ? process.exitValue() : -1,
        Files.readString(out), Files.readString(err));
    assertTrue(finished, "did not finish within 60 s: " + result);
    assertEquals(0, result.exit, result.toString());
    System.out.print(result.out);
    return result;
  }

  private static List<Path> readPath(String property) throws IOException {
    String file = System.getProperty(property);
    assertNotNull(file, property + " is set by the failsafe configuration");
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : Files.readString(Path.of(file)).trim().split(File.pathSeparator)) {
      Path path = Path.of(entry);
      // The reactor's modules must be jars here (a directory without module-info.class is not
      // an automatic module); failsafe runs after the reactor has packaged them.
      assertTrue(Files.isRegularFile(path), "not a packaged jar: " + path);
      entries.add(path);
    }
    return List.copyOf(entries);
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private record Result(String command, int exit, String out, String err) {
    @Override
    public String toString() {
      return command + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
