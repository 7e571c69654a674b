package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One segment's index from key to entry: open addressing with linear probing over a power-of-two array of entry
 * references, replacing a {@code HashMap<String, Entry>} whose node (32 B) and String key (24 B + array header)
 * cost more than the entries' own data.
 *
 * <p>An entry lives at the first free slot at or after its home slot (hash bits 0-31 masked), so every slot between
 * home and the entry is occupied. A lookup walks from home until it finds the key or an empty slot; each step
 * compares the entry's 16-bit {@link Entry#tag} first and reads the key bytes only when it matches. Deletion
 * shifts later members of the run back into the hole (backward-shift deletion, no tombstones), so lookups never
 * walk over dead slots and a churning cache never needs a rebuild.
 *
 * <p>Load: the table doubles when it would pass {@link #MAX_LOAD_NUMERATOR}/{@link #LOAD_DENOMINATOR} = 75%, so it
 * sits between 37.5% and 75% full: 5.3 to 10.7 bytes of slots per entry with 4-byte compressed references.
 * Linear probing at 75% still takes about 2.5 probes per hit and 8.5 per miss; past that it degrades fast. It does
 * not shrink when entries go (like HashMap), except on {@link #clear}.
 *
 * <p>The full hash is not stored; growing and backward shifts recompute it from the key bytes ({@link Entry#hash}).
 */
final class EntryTable {
    private static final int MIN_CAPACITY = 8;
    private static final int MAX_CAPACITY = 1 << 30;
    private static final int MAX_LOAD_NUMERATOR = 3;
    private static final int LOAD_DENOMINATOR = 4;

    private Entry[] slots = new Entry[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** The entry holding the key of these bytes ({@link Keys#encode}) and that hash, or null. */
    Entry find(byte[] key, long hash) {
        Entry[] table = slots;
        int mask = table.length - 1;
        short tag = Entry.tagOf(hash);
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null || entry.tag == tag && entry.hasKey(key)) {
                return entry;
            }
        }
    }

    /**
     * {@link #find} for a reader that holds no lock (an optimistic read of the segment's {@code StampedLock}):
     * every read may be stale or torn by a concurrent writer (a resize, a backward shift, a half-built entry), so
     * this only has to stay safe, not right, and the caller discards the answer unless its stamp still validates.
     * Safe: the slot array is read once and indexed within its own mask; the walk gives up after one lap
     * ({@link #INCONCLUSIVE}); the key is compared only through the entry's final length and tag and a data array
     * read once and bounds-checked. Keys of {@link Entry#LONG_KEY} bytes or more, whose length lives in the data
     * array, are never matched here: the caller must not ask for them.
     *
     * @return the entry, null for none, or {@link #INCONCLUSIVE}
     */
    Entry findOptimistic(byte[] key, long hash) {
        Entry[] table = slots;
        int mask = table.length - 1;
        short tag = Entry.tagOf(hash);
        int i = (int) hash & mask;
        for (int probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null) {
                return null;
            }
            if (entry.tag == tag && (entry.keyLength & Entry.LENGTH_MASK) == key.length) {
                byte[] data = entry.data;
                if (data != null && data.length >= key.length
                        && Arrays.equals(key, 0, key.length, data, 0, key.length)) {
                    return entry;
                }
            }
        }
        return INCONCLUSIVE;
    }

    /** What {@link #findOptimistic} answers when a lap of the table found neither the key nor an empty slot. */
    static final Entry INCONCLUSIVE = new Entry(new byte[0], 0, 0);

    /** Whether this very entry (not only its key) is in the table; {@code hash} is its key's. */
    boolean contains(Entry entry, long hash) {
        Entry[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            Entry found = table[i];
            if (found == null) {
                return false;
            }
            if (found == entry) {
                return true;
            }
        }
    }

    /** Adds an entry whose key is not in the table. */
    void add(Entry entry, long hash) {
        if ((long) (size + 1) * LOAD_DENOMINATOR > (long) slots.length * MAX_LOAD_NUMERATOR
                && slots.length < MAX_CAPACITY) {
            resize(slots.length * 2);
        }
        place(slots, entry, hash);
        size++;
    }

    /** Puts {@code fresh}, which has the same key, where {@code old} is. */
    void swap(Entry old, Entry fresh) {
        slots[slotOf(old)] = fresh;
    }

    /** Removes the entry, shifting the rest of its probe run back so no gap breaks it. */
    void remove(Entry entry) {
        remove(entry, entry.hash());
    }

    /** {@link #remove(Entry)} for a caller that has the entry's key hash at hand (saves rehashing its key). */
    void remove(Entry entry, long hash) {
        Entry[] table = slots;
        int mask = table.length - 1;
        int hole = slotOf(entry, hash);
        for (int i = (hole + 1) & mask; table[i] != null; i = (i + 1) & mask) {
            int home = (int) table[i].hash() & mask;
            // the entry at i may fill the hole unless its home lies cyclically in (hole, i]
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = null;
        size--;
    }

    /** Slots in the table (a power of two); a walk over {@link #at} covers every entry. */
    int capacity() {
        return slots.length;
    }

    /** The entry in that slot, or null. */
    Entry at(int slot) {
        return slots[slot];
    }

    void clear() {
        slots = new Entry[MIN_CAPACITY];
        size = 0;
    }

    /** Every entry, in slot order. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(size);
        for (Entry entry : slots) {
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * Checks the count, the load bound, and that each entry is where a lookup of its own key stops: its tag is
     * its hash's, no empty slot lies between its home and it, and no entry before it holds the same key.
     */
    void checkInvariants() {
        int mask = slots.length - 1;
        int counted = 0;
        for (int at = 0; at < slots.length; at++) {
            Entry entry = slots[at];
            if (entry == null) {
                continue;
            }
            counted++;
            long hash = entry.hash();
            Invariants.check(entry.tag == Entry.tagOf(hash), "table tag of " + entry);
            byte[] key = Arrays.copyOfRange(entry.data, entry.keyOffset(), entry.keyOffset() + entry.keyBytes());
            Invariants.check(find(key, hash) == entry, "table lookup of " + entry + " (slot " + at
                    + ", home " + ((int) hash & mask) + ") finds " + find(key, hash));
        }
        Invariants.check(counted == size, "table size " + size + " but " + counted + " entries");
        Invariants.check(Integer.bitCount(slots.length) == 1, "table capacity " + slots.length);
        Invariants.check(slots.length == MAX_CAPACITY || (long) size * LOAD_DENOMINATOR <= (long) slots.length * MAX_LOAD_NUMERATOR, "table load");
    }

    private int slotOf(Entry entry) {
        return slotOf(entry, entry.hash());
    }

    private int slotOf(Entry entry, long hash) {
        Entry[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            Entry found = table[i];
            if (found == null) {                  // not Invariants.check: its message would be built on every step
                throw new IllegalStateException("invariant broken: table lost " + entry);
            }
            if (found == entry) {
                return i;
            }
        }
    }

    private void resize(int capacity) {
        Entry[] grown = new Entry[capacity];
        for (Entry entry : slots) {
            if (entry != null) {
                place(grown, entry, entry.hash());
            }
        }
        slots = grown;
    }

    private static void place(Entry[] table, Entry entry, long hash) {
        int mask = table.length - 1;
        int i = (int) hash & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }
}
