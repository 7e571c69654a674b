package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An entry's tags as they sit in its data array, between the key and the value ({@link Entry}): the tag block.
 * One byte holds the count (1-255), then each tag is one byte of length (0-255) and that many bytes of the tag,
 * encoded as keys are ({@link Keys}: UTF-8, a lone surrogate as its own three bytes, so decoding gives back the
 * very String). Tags are kept in the order given, duplicates dropped. An entry with no tags has no block at all.
 *
 * <p>The limits here are the format's: {@link #MAX_TAGS} tags of at most {@link #MAX_TAG_BYTES} bytes. The HTTP
 * layer enforces its own, smaller, configured limits before a tag reaches the engine.
 */
final class Tags {
    /** Most tags one entry can carry: the count is one byte. */
    static final int MAX_TAGS = 255;
    /** Longest tag in encoded bytes: its length is one byte. */
    static final int MAX_TAG_BYTES = 255;

    private Tags() {
    }

    /**
     * The tag block for these tags (duplicates dropped), or null when there are none.
     *
     * @throws IllegalArgumentException for more than {@link #MAX_TAGS} distinct tags, a null tag or one longer
     *                                  than {@link #MAX_TAG_BYTES} encoded bytes
     */
    static byte[] encode(List<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>(tags);
        if (distinct.size() > MAX_TAGS) {
            throw new IllegalArgumentException("an entry carries at most " + MAX_TAGS + " tags, not "
                                               + distinct.size());
        }
        List<byte[]> encoded = new ArrayList<>(distinct.size());
        int length = 1;
        for (String tag : distinct) {
            if (tag == null) {
                throw new IllegalArgumentException("null tag");
            }
            byte[] bytes = Keys.encode(tag);
            if (bytes.length > MAX_TAG_BYTES) {
                throw new IllegalArgumentException("a tag has at most " + MAX_TAG_BYTES + " UTF-8 bytes, not "
                                                   + bytes.length);
            }
            encoded.add(bytes);
            length += 1 + bytes.length;
        }
        byte[] block = new byte[length];
        block[0] = (byte) encoded.size();
        int at = 1;
        for (byte[] bytes : encoded) {
            block[at++] = (byte) bytes.length;
            System.arraycopy(bytes, 0, block, at, bytes.length);
            at += bytes.length;
        }
        return block;
    }

    /** The number of tags in the block at {@code offset}. */
    static int count(byte[] data, int offset) {
        return data[offset] & 0xFF;
    }

    /** The length in bytes of the block at {@code offset}. */
    static int blockLength(byte[] data, int offset) {
        int count = data[offset] & 0xFF;
        int at = offset + 1;
        for (int i = 0; i < count; i++) {
            at += 1 + (data[at] & 0xFF);
        }
        return at - offset;
    }

    /** The tags of the block at {@code offset}, in stored order. */
    static List<String> decode(byte[] data, int offset) {
        int count = data[offset] & 0xFF;
        List<String> tags = new ArrayList<>(count);
        int at = offset + 1;
        for (int i = 0; i < count; i++) {
            int length = data[at] & 0xFF;
            tags.add(Keys.decode(data, at + 1, length));
            at += 1 + length;
        }
        return List.copyOf(tags);
    }
}
