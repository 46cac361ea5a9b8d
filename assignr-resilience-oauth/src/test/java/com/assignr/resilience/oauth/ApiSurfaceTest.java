package com.assignr.resilience.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's public face: the one builder, the credentials it builds, the token source and
 * transport SPIs and what they exchange. The cache, the grant, the JSON reader and the JDK
 * transport are package-private: a new public type here is a decision about the API.
 */
class ApiSurfaceTest {
  static final Set<String> PUBLIC = Set.of("AccessToken", "AssignrOAuth", "AssignrOAuth$Builder", "Credentials",
      "TokenEndpointException", "TokenSource", "TokenTransport", "TokenTransport$Answer");

  @Test
  void onlyTheBuilderTheCredentialsAndTheSpisArePublic() throws Exception {
    Path dir = Path.of(AssignrOAuth.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("com/assignr/resilience/oauth");
    Set<String> visible = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String simple = f.getFileName().toString().replace(".class", "");
        Class<?> type = Class.forName("com.assignr.resilience.oauth." + simple, false, getClass().getClassLoader());
        boolean isPublic = true;
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
          if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) isPublic = false;
        }
        if (isPublic) visible.add(simple);
      }
    }
    assertEquals(new TreeSet<>(PUBLIC), visible);
  }
}
