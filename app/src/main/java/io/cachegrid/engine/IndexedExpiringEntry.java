package io.cachegrid.engine;

/**
 * An {@link ExpiringEntry} of an indexing policy ({@link IndexedEntry}): 52 B padded to 56 with default headers,
 * 48 with compact ones.
 */
final class IndexedExpiringEntry extends ExpiringEntry {
    private int state = NOT_IN_HEAP;

    IndexedExpiringEntry(byte[] data, int keyLength, boolean tagged, boolean compressed, long hash, long deadline) {
        super(data, keyLength, tagged, compressed, hash, deadline);
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
