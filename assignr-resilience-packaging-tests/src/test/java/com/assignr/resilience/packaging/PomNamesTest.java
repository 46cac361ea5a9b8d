package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.packaging.Reactor.Module;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every POM that goes to Maven Central names itself. The parent's enforcer checks the rest of
 * Central's metadata on the effective model, but Maven fills a missing {@code <name>} in with the
 * artifactId there, while the deployed POM would still have none; so this reads the POMs.
 */
class PomNamesTest {
  @Test
  void everyPublishedPomHasAName() {
    Reactor reactor = Reactor.read();
    List<String> unnamed = new ArrayList<>();
    if (reactor.parent().text("name").isEmpty()) unnamed.add(reactor.parent().file().toString());
    for (Module module : reactor.published()) {
      if (module.pom().text("name").isEmpty()) unnamed.add(module.pom().file().toString());
    }
    assertTrue(unnamed.isEmpty(), "add a <name> to " + unnamed);
  }
}
