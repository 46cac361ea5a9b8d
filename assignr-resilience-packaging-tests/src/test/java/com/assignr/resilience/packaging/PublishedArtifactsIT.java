package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.packaging.Reactor.Module;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What {@code mvn verify} leaves in each published module's {@code target}: the jar with its
 * module descriptor, the sources jar and the Javadoc jar (Central requires all three), the
 * descriptor exporting the public package (and, where extenders need one, its {@code .spi}
 * package) and no internal package to users, and the Javadoc documenting no internal package.
 * The modules are discovered from the parent's {@code <modules>}.
 */
class PublishedArtifactsIT {
  /** Published jars that are automatic modules on purpose, with their Automatic-Module-Name. */
  private static final Map<String, String> AUTOMATIC = Map.of(
      // WireMock's jar cannot be a module, so a descriptor that requires it could never resolve;
      // see the testkit's pom.xml and ModulePathIT.
      "assignr-resilience-testkit", "com.assignr.resilience.testkit");

  private final Reactor reactor = Reactor.read();
  private final String version = System.getProperty("project.version");

  @TestFactory
  Stream<DynamicTest> everyPublishedJarComesWithSourcesJavadocAndADescriptor() {
    assertNotNull(version, "project.version is set by the failsafe configuration");
    List<Module> jars = reactor.published().stream().filter(m -> m.packaging().equals("jar")).toList();
    assertFalse(jars.isEmpty());
    Set<String> reactorModules = new HashSet<>();
    for (Module m : jars) reactorModules.add(descriptor(jar(m, "")).name());
    return jars.stream().map(m -> DynamicTest.dynamicTest(m.artifactId(), () -> check(m, reactorModules)));
  }

  private void check(Module module, Set<String> reactorModules) throws IOException {
    Path jar = jar(module, "");
    Path sources = jar(module, "-sources");
    Path javadoc = jar(module, "-javadoc");
    ModuleDescriptor descriptor = descriptor(jar);

    String automaticName = AUTOMATIC.get(module.artifactId());
    if (automaticName != null) {
      assertTrue(descriptor.isAutomatic(), jar + " is expected to stay an automatic module");
      assertEquals(automaticName, descriptor.name());
    } else {
      assertFalse(descriptor.isAutomatic(), jar + " has no module-info.class");
      List<String> exported = new ArrayList<>();
      for (Exports export : descriptor.exports()) {
        if (export.isQualified()) {
          assertTrue(reactorModules.containsAll(export.targets()),
              descriptor.name() + " exports " + export.source() + " to a module that is not in "
                  + "the reactor: " + export.targets());
        } else {
          exported.add(export.source());
        }
      }
      // The user's vocabulary is the package named like the module; an extenders' SPI, if any,
      // is its ".spi" sub-package. Machinery (".internal") is exported to siblings only.
      assertTrue(exported.contains(descriptor.name()), descriptor.name() + " exports its public package: "
          + exported);
      assertTrue(Set.of(descriptor.name(), descriptor.name() + ".spi").containsAll(exported),
          descriptor.name() + " exports its public package and at most its SPI: " + exported);
      assertTrue(exported.stream().noneMatch(e -> e.contains(".internal")), exported.toString());
      assertTrue(entries(sources).contains("module-info.java"), sources + " has module-info.java");
    }

    List<String> docs = entries(javadoc);
    assertTrue(docs.contains("index.html"), javadoc + " has index.html");
    assertTrue(docs.stream().noneMatch(e -> e.contains("/internal/")),
        javadoc + " documents an internal package");
    assertTrue(entries(sources).stream().anyMatch(e -> e.endsWith(".java")), sources + " has sources");
  }

  private Path jar(Module module, String classifier) {
    Path jar = module.dir().resolve("target")
        .resolve(module.artifactId() + "-" + version + classifier + ".jar");
    assertTrue(Files.isRegularFile(jar), "missing " + jar + " (every published module must be a "
        + "dependency of assignr-resilience-packaging-tests, so that it is packaged first)");
    return jar;
  }

  private static ModuleDescriptor descriptor(Path jar) {
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertEquals(1, found.size(), jar.toString());
    return found.iterator().next().descriptor();
  }

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(e -> e.getName()).toList();
    }
  }
}
