package io.cachegrid.api;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The keys of a batch get as {@link PlainKeysBody} read them: each is printable ASCII that JSON takes as it is, and
 * its bytes are still in the body. The answer copies those bytes ({@link BatchGetResults}) instead of checking and
 * copying the key's characters one by one.
 */
final class PlainKeys extends AbstractList<String> implements RandomAccess {

    private final byte[] body;
    private final String[] keys;
    private final int[] starts;
    private int size;

    PlainKeys(byte[] body, int capacity) {
        this.body = body;
        this.keys = new String[capacity];
        this.starts = new int[capacity];
    }

    /** Whether another key fits. */
    boolean hasRoom() {
        return size < keys.length;
    }

    void add(String key, int start) {
        keys[size] = key;
        starts[size] = start;
        size++;
    }

    @Override
    public String get(int index) {
        return keys[java.util.Objects.checkIndex(index, size)];
    }

    @Override
    public int size() {
        return size;
    }

    /** Copies key {@code index}'s bytes (as many as its characters) into {@code out} at {@code at}; returns the end. */
    int copyKey(int index, byte[] out, int at) {
        int length = keys[index].length();
        System.arraycopy(body, starts[index], out, at, length);
        return at + length;
    }
}
