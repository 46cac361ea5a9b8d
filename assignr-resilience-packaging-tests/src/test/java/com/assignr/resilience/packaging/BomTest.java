package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.packaging.Reactor.Module;
import com.assignr.resilience.packaging.Reactor.Pom;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM cannot drift from the reactor: it manages exactly the published modules' artifacts, at
 * the reactor's version, and the copies it must carry because it has no parent (Central metadata,
 * plugin versions) equal the parent's. Modules are discovered from the parent's {@code <modules>},
 * so a module added later is expected in the BOM unless it declares itself unpublished.
 */
class BomTest {
  private static final String BOM = "assignr-resilience-bom";

  /**
   * The modules whose artifacts are not published: each sets assignr.unpublished in its POM, and
   * is named here too, so that a library cannot silently drop out of the BOM (and out of Central)
   * by copying that property.
   */
  private static final Set<String> UNPUBLISHED = Set.of(
      "assignr-resilience-examples",
      "assignr-resilience-benchmarks",
      "assignr-resilience-stacks",
      "assignr-resilience-packaging-tests");

  private final Reactor reactor = Reactor.read();
  private final Pom bom = reactor.module(BOM).pom();

  @Test
  void onlyTheDemoTheBenchmarksAndTheseTestsAreUnpublished() {
    Set<String> unpublished = reactor.modules().stream().filter(m -> !m.published())
        .map(Module::artifactId).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(UNPUBLISHED), unpublished,
        "a module that is not published sets <assignr.unpublished>true</assignr.unpublished> and is "
            + "listed in BomTest.UNPUBLISHED; every other module is published and in the BOM");
  }

  @Test
  void theBomManagesEveryPublishedArtifactAndNothingElse() {
    String groupId = reactor.parent().text("groupId");
    Set<String> expected = reactor.published().stream()
        .filter(m -> !m.packaging().equals("pom"))   // the BOM itself; aggregators
        .map(m -> groupId + ":" + m.artifactId())
        .collect(Collectors.toCollection(TreeSet::new));
    assertFalse(expected.isEmpty());

    Set<String> managed = new TreeSet<>();
    for (Element dependency : bom.children("dependencyManagement/dependencies", "dependency")) {
      String coordinates = Pom.text(dependency, "groupId") + ":" + Pom.text(dependency, "artifactId");
      assertTrue(managed.add(coordinates), "managed twice: " + coordinates);
      assertTrue(Set.of("${project.version}", reactor.parent().text("version"))
          .contains(Pom.text(dependency, "version")), coordinates + " at the reactor's version");
      for (String extra : new String[] {"type", "classifier", "scope"}) {
        assertEquals("", Pom.text(dependency, extra),
            coordinates + ": the BOM manages the main artifacts only (" + extra + ")");
      }
    }
    assertEquals(expected, managed, "the BOM's dependencyManagement against the reactor's "
        + "published modules (add a new module to assignr-resilience-bom/pom.xml)");
  }

  @Test
  void theBomIsReleasedWithTheReactor() {
    assertEquals(reactor.parent().text("groupId"), bom.text("groupId"));
    assertEquals(reactor.parent().text("version"), bom.text("version"));
    assertEquals("pom", bom.text("packaging"));
    assertEquals("", bom.text("parent"), "an imported BOM brings its parent's dependencyManagement");
  }

  @Test
  void theBomCarriesTheParentsCentralMetadata() {
    assertFalse(bom.text("name").isEmpty(), "name");
    assertFalse(bom.text("description").isEmpty(), "description");
    for (String element : new String[] {"url", "licenses", "developers", "scm"}) {
      assertEquals(canonical(reactor.parent().element(element)), canonical(bom.element(element)),
          "<" + element + "> in the BOM against the parent's");
    }
  }

  @Test
  void theBomPinsThePluginsThatTheParentPins() {
    Map<String, String> parentPlugins = plugins(reactor.parent());
    assertTrue(parentPlugins.containsKey("org.apache.maven.plugins:maven-javadoc-plugin"));
    assertEquals(parentPlugins, plugins(bom),
        "without a parent the BOM needs its own pins, or `mvn -o javadoc:javadoc` fails on it");
  }

  private static Map<String, String> plugins(Pom pom) {
    Map<String, String> versions = new TreeMap<>();
    for (Element plugin : pom.children("build/pluginManagement/plugins", "plugin")) {
      String groupId = Pom.text(plugin, "groupId");
      String coordinates = (groupId.isEmpty() ? "org.apache.maven.plugins" : groupId) + ":"
          + Pom.text(plugin, "artifactId");
      versions.put(coordinates, resolve(pom, Pom.text(plugin, "version")));
    }
    return versions;
  }

  private static String resolve(Pom pom, String value) {
    Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
    return m.matches() ? pom.text("properties", m.group(1)) : value;
  }

  /** Element names and texts, in order; attributes (Maven's inherit.append.path) ignored. */
  private static String canonical(Element element) {
    if (element == null) return "(missing)";
    StringBuilder out = new StringBuilder("<" + element.getTagName() + ">");
    boolean hasChildren = false;
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        out.append(canonical(child));
        hasChildren = true;
      }
    }
    if (!hasChildren) out.append(element.getTextContent().trim());
    return out.append("</").append(element.getTagName()).append(">").toString();
  }
}
