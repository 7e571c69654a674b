package io.cachegrid.engine;

/**
 * An entry of a policy whose per-entry state is an index (lfu's bucket id, the ttl and size policies' heap
 * index; {@link ReplacementPolicy#indexesEntries}): the full int lives only here, so lru and tinylfu entries,
 * whose state fits in two bits of {@link Entry#keyLength}, do not pay 4 bytes for it. Sizes: 40 B with default
 * headers (as a plain entry: the int fills its padding), 36 padded to 40 with compact ones (a plain entry: 32).
 */
final class IndexedEntry extends Entry {
    private int state = NOT_IN_HEAP;

    IndexedEntry(byte[] data, int keyLength, boolean tagged, boolean compressed, long hash) {
        super(data, keyLength, tagged, compressed, hash);
    }

    @Override
    int state() {
        return state;
    }

    @Override
    void state(int state) {
        this.state = state;
    }

    @Override
    boolean indexed() {
        return true;
    }
}
