package io.cachegrid.engine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An indexed binary min-heap of entries. Each entry remembers its own position (in a {@link Slot}), so
 * removing or re-ordering an arbitrary entry costs O(log n) rather than a search. Two heaps can hold
 * the same entry as long as they use different slots (the ttl/size policy heap and the expiry heap).
 */
final class EntryHeap {
    /** Where an entry keeps its position in one particular heap. */
    interface Slot {
        int get(Entry entry);

        void set(Entry entry, int index);
    }

    static final Slot POLICY_SLOT = new Slot() {
        public int get(Entry entry) {
            return entry.policyIndex;
        }

        public void set(Entry entry, int index) {
            entry.policyIndex = index;
        }
    };

    static final Slot EXPIRY_SLOT = new Slot() {
        public int get(Entry entry) {
            return entry.expiryIndex;
        }

        public void set(Entry entry, int index) {
            entry.expiryIndex = index;
        }
    };

    private static final int INITIAL_CAPACITY = 16;

    private final Comparator<Entry> order;
    private final Slot slot;
    private Entry[] heap = new Entry[INITIAL_CAPACITY];
    private int size;

    EntryHeap(Comparator<Entry> order, Slot slot) {
        this.order = order;
        this.slot = slot;
    }

    int size() {
        return size;
    }

    /** The least entry, or null when empty. */
    Entry peek() {
        return size == 0 ? null : heap[0];
    }

    boolean contains(Entry entry) {
        int index = slot.get(entry);
        return index >= 0 && index < size && heap[index] == entry;
    }

    void add(Entry entry) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        place(entry, size);
        siftUp(size++);
    }

    void remove(Entry entry) {
        int index = slot.get(entry);
        int last = --size;
        Entry moved = heap[last];
        heap[last] = null;
        slot.set(entry, Entry.NOT_IN_HEAP);
        if (index != last) {
            place(moved, index);
            reposition(index);
        }
    }

    /** Restores the heap order after the entry's sort key changed. */
    void update(Entry entry) {
        reposition(slot.get(entry));
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            slot.set(heap[i], Entry.NOT_IN_HEAP);
        }
        heap = new Entry[INITIAL_CAPACITY];
        size = 0;
    }

    /** Checks every slot points back at its position and every parent precedes its children. */
    List<Entry> checkedEntries() {
        for (int i = 0; i < size; i++) {
            Invariants.check(slot.get(heap[i]) == i, "heap index of " + heap[i] + " is " + slot.get(heap[i]) + ", not " + i);
            if (i > 0) {
                Invariants.check(order.compare(heap[(i - 1) / 2], heap[i]) <= 0, "heap order at " + i);
            }
        }
        return Arrays.asList(heap).subList(0, size);
    }

    private void reposition(int index) {
        Entry entry = heap[index];
        siftDown(index);
        if (heap[index] == entry) {
            siftUp(index);
        }
    }

    private void siftUp(int index) {
        Entry entry = heap[index];
        while (index > 0) {
            int parent = (index - 1) / 2;
            if (order.compare(heap[parent], entry) <= 0) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(entry, index);
    }

    private void siftDown(int index) {
        Entry entry = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && order.compare(heap[child + 1], heap[child]) < 0) {
                child++;
            }
            if (order.compare(entry, heap[child]) <= 0) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(entry, index);
    }

    private void place(Entry entry, int index) {
        heap[index] = entry;
        slot.set(entry, index);
    }
}
