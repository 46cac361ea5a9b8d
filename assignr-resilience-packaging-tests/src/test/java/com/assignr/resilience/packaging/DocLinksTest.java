package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/ (and of RELIABILITY.md and BENCHMARKS.md) leads to a
 * file that exists and, when it names an anchor, to a heading of that file, by the slugs a code
 * host renders (lower case, punctuation dropped, spaces to hyphens).
 */
class DocLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
  private static final Pattern FENCED = Pattern.compile("(?ms)^```.*?^```");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> pages = new ArrayList<>();
    DocPages.read().pages().forEach(p -> pages.add(p.file()));
    pages.add(root.resolve("RELIABILITY.md"));
    pages.add(root.resolve("BENCHMARKS.md"));
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      String text = FENCED.matcher(Files.readString(page)).replaceAll("");
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) continue;                 // https:, mailto:
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(root.relativize(page) + ": " + target + " (no such file)");
          continue;
        }
        if (hash >= 0 && resolved.toString().endsWith(".md")
            && !slugs(Files.readString(resolved)).contains(target.substring(hash + 1))) {
          broken.add(root.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  @Test
  void slugsFollowTheCodeHostsRule() {
    assertTrue(slugs("## `java.net.http`: wrap the client\n").contains("javanethttp-wrap-the-client"));
    assertTrue(slugs("### What happens on each status (the defaults)\n").contains("what-happens-on-each-status-the-defaults"));
  }

  static Set<String> slugs(String markdown) {
    Set<String> slugs = new HashSet<>();
    Matcher heading = HEADING.matcher(FENCED.matcher(markdown).replaceAll(""));
    while (heading.find()) {
      String slug = heading.group(1).strip().toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      String unique = slug;
      for (int n = 1; !slugs.add(unique); n++) unique = slug + "-" + n;
    }
    return slugs;
  }
}
