package com.assignr.resilience.feign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measured cells, written to {@code target/<file>.md} as a Markdown table for RELIABILITY.md. */
final class Table {
  private final String file;
  private final List<String> columns;
  private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

  Table(String file, List<String> columns) {
    this.file = file;
    this.columns = List.copyOf(columns);
  }

  synchronized void put(String row, String column, Object value) {
    if (!columns.contains(column)) throw new IllegalArgumentException(column);
    rows.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(column, String.valueOf(value));
  }

  synchronized void write() {
    List<String> lines = new ArrayList<>();
    lines.add("| setup | " + String.join(" | ", columns) + " |");
    lines.add("|---" + "|---".repeat(columns.size()) + "|");
    rows.forEach((row, cells) -> {
      StringBuilder line = new StringBuilder("| ").append(row).append(" |");
      for (String column : columns) line.append(' ').append(cells.getOrDefault(column, "–")).append(" |");
      lines.add(line.toString());
    });
    try {
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target", file + ".md"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
