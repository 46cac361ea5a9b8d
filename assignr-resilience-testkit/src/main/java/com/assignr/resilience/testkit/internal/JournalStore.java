package com.assignr.resilience.testkit.internal;

import com.assignr.resilience.testkit.JournalEntry;
import java.util.ArrayDeque;
import java.util.List;

/** Bounded, thread-safe store of journal entries; the oldest are dropped past the capacity. */
public final class JournalStore {

  private final int capacity;
  private final ArrayDeque<JournalEntry> entries = new ArrayDeque<>();
  private long sequence;

  public JournalStore(int capacity) {
    this.capacity = capacity;
  }

  /** Next sequence number, from 1. */
  public synchronized long nextSequence() {
    return ++sequence;
  }

  public synchronized void add(JournalEntry entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
  }

  /** The entries in arrival order (they are added on completion, which can differ). */
  public synchronized List<JournalEntry> snapshot() {
    List<JournalEntry> copy = new java.util.ArrayList<>(entries);
    copy.sort(java.util.Comparator.comparingLong(JournalEntry::sequence));
    return List.copyOf(copy);
  }

  /**
   * The freshly started state, as {@code AssignrSimulator.reset()} promises: no entries, and the
   * next entry is number 1 again.
   */
  public synchronized void clear() {
    entries.clear();
    sequence = 0;
  }

  /** Forgets the entries only; sequence numbers keep counting ({@code RequestJournal.reset()}). */
  public synchronized void clearEntries() {
    entries.clear();
  }
}
