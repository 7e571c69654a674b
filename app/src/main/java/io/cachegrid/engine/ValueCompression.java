package io.cachegrid.engine;

import java.util.Arrays;
import java.util.Objects;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Why: values above {@code CACHEGRID_COMPRESSION_THRESHOLD_BYTES} are held compressed, and this is the one place
 * that knows the stored form. A compressed value is {@link #HEADER_BYTES} (its original length, big-endian), then
 * one LZ4 block of it.
 *
 * <p><b>Codec.</b> LZ4, chosen by measurement ({@code scripts/bench-compression.sh}; table and reasoning in
 * docs/performance.md): on JSON documents of 0.4 KB to 1 MB its JNI build decompressed at 2.8-4.6 GB/s, 3.7-21x
 * faster than the best of the JDK's Deflater and Zstd, and compressed 1.4-5.5x faster, while Zstd and Deflater
 * made the documents 1.4-1.7x smaller again. A cache decompresses on every read of a value and compresses once per
 * write, so the read speed decides. The JNI build (lz4-java ships the native library for the common platforms
 * inside its jar; the server's jar manifest allows native access) is used when it loads; otherwise lz4-java's
 * pure-Java port, the same format at 2.5-15x less speed, so a platform without the library still works.
 * Compressor and decompressor are stateless and thread-safe: no pool of per-thread state is needed under virtual
 * threads.
 *
 * <p><b>Margin.</b> A value is kept compressed only when that saves at least {@link #MIN_SAVING_DIVISOR 1/8} of
 * it (header included): every read of a compressed value costs a decompression into a fresh array, where a plain
 * one is written straight from the stored bytes, so compression must buy real memory. JSON documents of 4 KB and
 * more shrink 1.9-2.8x with LZ4 in the benchmark and pass easily; what misses the margin is small JSON (the
 * 425-byte document shrank 5%) and nearly incompressible content (base64, random ids, text that was already
 * compressed), where LZ4 gains a few percent at best.
 */
public final class ValueCompression {
    /** The original length, a big-endian int, before the LZ4 block. */
    public static final int HEADER_BYTES = Integer.BYTES;
    /** A compressed form is kept only when it is at most {@code length - length / MIN_SAVING_DIVISOR} bytes. */
    static final int MIN_SAVING_DIVISOR = 8;
    /** LZ4's largest expansion of a block: a match token of 255-length steps gives at most about 255 bytes each. */
    private static final int MAX_EXPANSION = 256;

    private static final System.Logger LOG = System.getLogger(ValueCompression.class.getName());
    private static final LZ4Factory LZ4 = factory();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

    private ValueCompression() {
    }

    /** LZ4's JNI build when its native library loads here, else its pure-Java port (never the Unsafe one). */
    private static LZ4Factory factory() {
        try {
            return LZ4Factory.nativeInstance();
        } catch (LinkageError | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "LZ4's native library does not load here ({0}); compressing with"
                    + " its pure-Java port, a few times slower", e.toString());
            return LZ4Factory.safeInstance();
        }
    }

    /** The codec and which build of it is in use, for the start-up log: "LZ4 (JNI)" or "LZ4 (JavaSafe)". */
    public static String codecName() {
        return "LZ4 (" + LZ4.toString().replace("LZ4Factory:", "") + ")";
    }

    /**
     * The stored form of {@code value} (header and LZ4 block, exactly sized), or null when it would not save
     * {@link #MIN_SAVING_DIVISOR 1/8} of the bytes: the caller then stores the value as it is.
     */
    static byte[] compress(byte[] value) {
        int length = value.length;
        int limit = length - length / MIN_SAVING_DIVISOR - HEADER_BYTES;       // worthKeeping, for the block
        if (limit <= 0) {
            return null;
        }
        byte[] buffer = new byte[HEADER_BYTES + COMPRESSOR.maxCompressedLength(length)];
        int block = COMPRESSOR.compress(value, 0, length, buffer, HEADER_BYTES, buffer.length - HEADER_BYTES);
        if (block > limit) {
            return null;
        }
        buffer[0] = (byte) (length >>> 24);
        buffer[1] = (byte) (length >>> 16);
        buffer[2] = (byte) (length >>> 8);
        buffer[3] = (byte) length;
        return Arrays.copyOf(buffer, HEADER_BYTES + block);
    }

    /** Whether a compressed form of {@code storedBytes} saves enough of a value of {@code length} bytes. */
    static boolean worthKeeping(int storedBytes, int length) {
        return storedBytes <= length - length / MIN_SAVING_DIVISOR;
    }

    /** The original length of the compressed form that starts at {@code offset}. */
    public static int originalLength(byte[] stored, int offset) {
        return (stored[offset] & 0xFF) << 24 | (stored[offset + 1] & 0xFF) << 16 | (stored[offset + 2] & 0xFF) << 8
               | stored[offset + 3] & 0xFF;
    }

    /**
     * The value back from its compressed form in {@code stored[offset, offset + length)} (as the persistence log
     * keeps it: {@link CacheEngine#peekStoredForm}).
     *
     * @throws IllegalStateException when the bytes are not a compressed form this class wrote
     */
    public static byte[] decompress(byte[] stored, int offset, int length) {
        byte[] value = new byte[checkedOriginalLength(stored, offset, length)];
        decompressInto(stored, offset, length, value, 0);
        return value;
    }

    /**
     * The original length in a header, checked against what {@code length} bytes can hold (LZ4 expands a block at
     * most {@link #MAX_EXPANSION} times), so bytes that are not a compressed form cannot ask for a huge array.
     */
    private static int checkedOriginalLength(byte[] stored, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, stored.length);
        if (length < HEADER_BYTES) {
            throw new IllegalStateException("a compressed value of " + length + " bytes has no header");
        }
        int original = originalLength(stored, offset);
        if (original < 0 || original > (long) (length - HEADER_BYTES) * MAX_EXPANSION) {
            throw new IllegalStateException("a compressed value of " + length + " bytes cannot hold " + original);
        }
        return original;
    }

    /**
     * A fresh array holding {@code data}'s bytes before {@code valueOffset} (key and tag block), then the value
     * decompressed from the rest: what a read of a compressed entry hands out ({@link ValueView} over it).
     */
    static byte[] expand(byte[] data, int valueOffset) {
        int original = originalLength(data, valueOffset);
        byte[] expanded = new byte[valueOffset + original];
        System.arraycopy(data, 0, expanded, 0, valueOffset);
        decompressInto(data, valueOffset, data.length - valueOffset, expanded, valueOffset);
        return expanded;
    }

    private static void decompressInto(byte[] stored, int offset, int length, byte[] into, int at) {
        int original = checkedOriginalLength(stored, offset, length);
        int written;
        try {
            written = DECOMPRESSOR.decompress(stored, offset + HEADER_BYTES, length - HEADER_BYTES, into, at,
                                              original);
        } catch (LZ4Exception e) {
            throw new IllegalStateException("a compressed value does not decompress: " + e.getMessage(), e);
        }
        if (written != original) {
            throw new IllegalStateException("a compressed value of " + original + " bytes decompressed to "
                                            + written);
        }
    }
}
