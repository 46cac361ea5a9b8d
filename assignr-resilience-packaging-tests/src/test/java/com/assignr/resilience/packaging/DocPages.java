package com.assignr.resilience.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation as the snippet and link checks read it: README.md and every page
 * under docs/, each with its fenced Java blocks and the page's prelude.
 *
 * <p>A page's prelude is an HTML comment, invisible where the Markdown is rendered:
 *
 * <pre>{@code
 * <!-- prelude
 * import okhttp3.OkHttpClient;
 * OkHttpClient existing;
 * -->
 * }</pre>
 *
 * Its {@code import} lines go above every block of the page; its other lines are members of the
 * class a block is compiled in (the declarations a fragment names without making them). A block's
 * kind is the comment just above its fence, {@code <!-- snippet: members -->} or
 * {@code <!-- snippet: run -->}; without one, a block that starts with {@code import},
 * {@code package} or a type declaration is a compilation unit and any other is statements.
 */
record DocPages(Path root, List<Page> pages) {

  enum Kind {
    /** Statements: compiled as the body of a method of a class holding the prelude's members. */
    STATEMENTS,
    /** Members (methods, fields, nested types) of that class. */
    MEMBERS,
    /** A whole compilation unit, compiled as written (the prelude's imports are not added). */
    UNIT,
    /** A compilation unit that is also run: its {@code @Test} methods, against the simulator. */
    RUN
  }

  /** One fenced block; identity is the block's place (a page and its blocks refer to each other). */
  record Block(Page page, int line, Kind kind, String code) {
    String name() {
      return page.name() + ":" + line;
    }

    @Override public boolean equals(Object other) {
      return this == other;
    }

    @Override public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  record Page(Path file, String name, String text, List<String> imports, List<String> members, List<Block> blocks) {
    @Override public boolean equals(Object other) {
      return this == other;
    }

    @Override public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  private static final Pattern FENCE = Pattern.compile("(?m)^```java[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL);
  private static final Pattern PRELUDE = Pattern.compile("<!-- prelude\\n(.*?)-->", Pattern.DOTALL);
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (members|run|unit) -->\\s*$");
  private static final Pattern UNIT_START = Pattern.compile(
      "^(import |package |(public |final |abstract )*(class|record|interface|enum) )");

  static DocPages read() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> all = Files.list(docs)) {
        all.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Page> pages = new ArrayList<>();
    for (Path file : files) {
      pages.add(page(root, file));
    }
    return new DocPages(root, List.copyOf(pages));
  }

  private static Page page(Path root, Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> imports = new ArrayList<>();
    List<String> members = new ArrayList<>();
    Matcher prelude = PRELUDE.matcher(text);
    if (prelude.find()) {
      for (String line : prelude.group(1).split("\n")) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        (trimmed.startsWith("import ") ? imports : members).add(trimmed);
      }
    }
    String name = root.relativize(file).toString().replace('\\', '/');
    List<Block> blocks = new ArrayList<>();
    Page page = new Page(file, name, text, List.copyOf(imports), List.copyOf(members), blocks);
    Matcher fence = FENCE.matcher(text);
    while (fence.find()) {
      String code = fence.group(1);
      int line = (int) text.substring(0, fence.start()).chars().filter(c -> c == '\n').count() + 1;
      Matcher marker = MARKER.matcher(text.substring(Math.max(0, fence.start() - 200), fence.start()));
      Kind kind;
      if (marker.find()) {
        kind = switch (marker.group(1)) {
          case "members" -> Kind.MEMBERS;
          case "run" -> Kind.RUN;
          default -> Kind.UNIT;
        };
      } else {
        kind = UNIT_START.matcher(code.stripLeading()).lookingAt() ? Kind.UNIT : Kind.STATEMENTS;
      }
      blocks.add(new Block(page, line, kind, code));
    }
    return page;
  }

  Stream<Block> blocks() {
    return pages.stream().flatMap(p -> p.blocks().stream());
  }
}
