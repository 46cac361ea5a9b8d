package com.assignr.resilience.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The reactor as its POMs declare it: the modules listed by the parent (recursively, for an
 * aggregator listing its own), each with its artifactId, packaging and whether it is published.
 * Published means not marked {@code <assignr.unpublished>true</assignr.unpublished>} in its own
 * POM, the one switch the parent documents for the demo, the benchmarks and these tests.
 */
record Reactor(Path root, Pom parent, List<Module> modules) {

  record Module(Path dir, Pom pom) {
    String artifactId() {
      return pom.text("artifactId");
    }

    String packaging() {
      String packaging = pom.text("packaging");
      return packaging.isEmpty() ? "jar" : packaging;
    }

    boolean published() {
      return !"true".equals(pom.text("properties", "assignr.unpublished"));
    }
  }

  static Reactor read() {
    // Tests run in the module's directory; the reactor's root is its parent.
    Path root = Path.of("..").toAbsolutePath().normalize();
    Pom parent = Pom.read(root.resolve("pom.xml"));
    List<Module> modules = new ArrayList<>();
    collect(root, parent, modules);
    return new Reactor(root, parent, List.copyOf(modules));
  }

  private static void collect(Path dir, Pom aggregator, List<Module> into) {
    for (Element module : aggregator.children("modules", "module")) {
      Path moduleDir = dir.resolve(module.getTextContent().trim()).normalize();
      Pom pom = Pom.read(moduleDir.resolve("pom.xml"));
      into.add(new Module(moduleDir, pom));
      collect(moduleDir, pom, into);
    }
  }

  List<Module> published() {
    return modules.stream().filter(Module::published).toList();
  }

  Module module(String artifactId) {
    return modules.stream().filter(m -> m.artifactId().equals(artifactId)).findFirst()
        .orElseThrow(() -> new AssertionError("no module " + artifactId + " in " + root));
  }

  /** One POM's XML, read without Maven: no inheritance, no interpolation. */
  record Pom(Path file, Element project) {
    static Pom read(Path file) {
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(Files.newInputStream(file));
        return new Pom(file, document.getDocumentElement());
      } catch (IOException | SAXException | ParserConfigurationException e) {
        throw new AssertionError("cannot read " + file, e);
      }
    }

    /** The element at this path of child names under {@code <project>}, or null. */
    Element element(String... path) {
      Element at = project;
      for (String name : path) {
        at = child(at, name);
        if (at == null) return null;
      }
      return at;
    }

    /** The trimmed text at this path, or "" if there is none. */
    String text(String... path) {
      Element element = element(path);
      return element == null ? "" : element.getTextContent().trim();
    }

    /** The children called {@code name} of the element at {@code path}. */
    List<Element> children(String path, String name) {
      List<Element> result = new ArrayList<>();
      Element parent = element(path.split("/"));
      if (parent == null) return result;
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) result.add(e);
      }
      return result;
    }

    static Element child(Element parent, String name) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) return e;
      }
      return null;
    }

    static String text(Element parent, String name) {
      Element child = child(parent, name);
      return child == null ? "" : child.getTextContent().trim();
    }
  }
}
