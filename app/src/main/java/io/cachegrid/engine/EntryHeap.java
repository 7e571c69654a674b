package io.cachegrid.engine;

import java.util.Arrays;
import java.util.List;

/**
 * An indexed binary min-heap of entries. Each entry remembers its own position (in a {@link Slot}), so
 * removing or re-ordering an arbitrary entry costs O(log n) rather than a search. Two heaps can hold
 * the same entry as long as they use different slots (the ttl/size policy heap and the expiry heap).
 *
 * <p>A sequenced heap also keeps a {@code long} beside each entry (the policies' write order, their tie-breaker),
 * in a parallel array that moves with the entries: the entry itself has no room for it, and only the heap
 * policies need it.
 */
final class EntryHeap {
    /** Where an entry keeps its position in one particular heap. */
    interface Slot {
        int get(Entry entry);

        void set(Entry entry, int index);
    }

    /** The heap order over (entry, its sequence number) pairs; the sequence is 0 in an unsequenced heap. */
    interface Order {
        int compare(Entry a, long sequenceA, Entry b, long sequenceB);
    }

    /** The policy's int of state ({@link Entry#state()}; only {@link Entry#indexed} entries hold a heap index). */
    static final Slot POLICY_SLOT = new Slot() {
        public int get(Entry entry) {
            return entry.state();
        }

        public void set(Entry entry, int index) {
            entry.state(index);
        }
    };

    /** Only an {@link ExpiringEntry} can be in the expiry heap; any other entry is never in it. */
    static final Slot EXPIRY_SLOT = new Slot() {
        public int get(Entry entry) {
            return entry instanceof ExpiringEntry expiring ? expiring.expiryIndex : Entry.NOT_IN_HEAP;
        }

        public void set(Entry entry, int index) {
            ((ExpiringEntry) entry).expiryIndex = index;
        }
    };

    private static final int INITIAL_CAPACITY = 16;

    private final Order order;
    private final Slot slot;
    private final boolean sequenced;
    private Entry[] heap = new Entry[INITIAL_CAPACITY];
    private long[] sequences;
    private int size;

    EntryHeap(Order order, Slot slot, boolean sequenced) {
        this.order = order;
        this.slot = slot;
        this.sequenced = sequenced;
        this.sequences = sequenced ? new long[INITIAL_CAPACITY] : null;
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
        add(entry, 0);
    }

    void add(Entry entry, long sequence) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
            if (sequenced) {
                sequences = Arrays.copyOf(sequences, size * 2);
            }
        }
        place(entry, sequence, size);
        siftUp(size++);
    }

    void remove(Entry entry) {
        int index = slot.get(entry);
        int last = --size;
        Entry moved = heap[last];
        long movedSequence = sequenceAt(last);
        heap[last] = null;
        slot.set(entry, Entry.NOT_IN_HEAP);
        if (index != last) {
            place(moved, movedSequence, index);
            reposition(index);
        }
    }

    /** Gives the entry a new sequence number and restores the heap order after its sort key changed. */
    void update(Entry entry, long sequence) {
        int index = slot.get(entry);
        if (sequenced) {
            sequences[index] = sequence;
        }
        reposition(index);
    }

    /** Puts {@code fresh} exactly where {@code old} is, with old's sequence number; old leaves the heap. */
    void swap(Entry old, Entry fresh) {
        int index = slot.get(old);
        slot.set(old, Entry.NOT_IN_HEAP);
        place(fresh, sequenceAt(index), index);
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            slot.set(heap[i], Entry.NOT_IN_HEAP);
        }
        heap = new Entry[INITIAL_CAPACITY];
        sequences = sequenced ? new long[INITIAL_CAPACITY] : null;
        size = 0;
    }

    /** Checks every slot points back at its position and every parent precedes its children. */
    List<Entry> checkedEntries() {
        for (int i = 0; i < size; i++) {
            Invariants.check(slot.get(heap[i]) == i, "heap index of " + heap[i] + " is " + slot.get(heap[i]) + ", not " + i);
            if (i > 0) {
                Invariants.check(compare((i - 1) / 2, i) <= 0, "heap order at " + i);
            }
        }
        return Arrays.asList(heap).subList(0, size);
    }

    private long sequenceAt(int index) {
        return sequenced ? sequences[index] : 0;
    }

    private int compare(int i, int j) {
        return order.compare(heap[i], sequenceAt(i), heap[j], sequenceAt(j));
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
        long sequence = sequenceAt(index);
        while (index > 0) {
            int parent = (index - 1) / 2;
            if (order.compare(heap[parent], sequenceAt(parent), entry, sequence) <= 0) {
                break;
            }
            place(heap[parent], sequenceAt(parent), index);
            index = parent;
        }
        place(entry, sequence, index);
    }

    private void siftDown(int index) {
        Entry entry = heap[index];
        long sequence = sequenceAt(index);
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && compare(child + 1, child) < 0) {
                child++;
            }
            if (order.compare(entry, sequence, heap[child], sequenceAt(child)) <= 0) {
                break;
            }
            place(heap[child], sequenceAt(child), index);
            index = child;
        }
        place(entry, sequence, index);
    }

    private void place(Entry entry, long sequence, int index) {
        heap[index] = entry;
        if (sequenced) {
            sequences[index] = sequence;
        }
        slot.set(entry, index);
    }
}
