package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * An intrusive doubly-linked list of entries, oldest at the head, newest at the tail. Linking through the
 * entries' own {@code prev}/{@code next} fields makes every operation O(1) and allocation-free. An entry
 * is in at most one list at a time (the policy decides which).
 */
final class EntryList {
    private Entry head;
    private Entry tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    /** The oldest entry, or null. */
    Entry first() {
        return head;
    }

    void addLast(Entry entry) {
        entry.prev = tail;
        entry.next = null;
        if (tail == null) {
            head = entry;
        } else {
            tail.next = entry;
        }
        tail = entry;
        size++;
    }

    void remove(Entry entry) {
        if (entry.prev == null) {
            head = entry.next;
        } else {
            entry.prev.next = entry.next;
        }
        if (entry.next == null) {
            tail = entry.prev;
        } else {
            entry.next.prev = entry.prev;
        }
        entry.prev = null;
        entry.next = null;
        size--;
    }

    void moveToLast(Entry entry) {
        if (entry != tail) {
            remove(entry);
            addLast(entry);
        }
    }

    /** Puts {@code fresh} exactly where {@code old} is; old leaves the list. */
    void swap(Entry old, Entry fresh) {
        fresh.prev = old.prev;
        fresh.next = old.next;
        if (old.prev == null) {
            head = fresh;
        } else {
            old.prev.next = fresh;
        }
        if (old.next == null) {
            tail = fresh;
        } else {
            old.next.prev = fresh;
        }
        old.prev = null;
        old.next = null;
    }

    void clear() {
        head = null;
        tail = null;
        size = 0;
    }

    /** Walks the links both ways, checking they agree, and returns the entries head to tail. */
    List<Entry> checkedEntries() {
        List<Entry> entries = new ArrayList<>(size);
        Entry previous = null;
        for (Entry entry = head; entry != null; entry = entry.next) {
            Invariants.check(entry.prev == previous, "list link prev of " + entry);
            Invariants.check(entries.size() < size, "list longer than its size " + size);
            entries.add(entry);
            previous = entry;
        }
        Invariants.check(previous == tail, "list tail");
        Invariants.check(entries.size() == size, "list size " + size + " but " + entries.size() + " linked");
        return entries;
    }
}
