package io.cachegrid.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a JSON document straight into a byte buffer.
 * <p>
 * Responses embed stored values as the raw bytes they were sent in ({@link #rawValue(byte[])}), which a tree-based
 * JSON library cannot do without decoding and re-encoding them. Commas are placed automatically: a bit per nesting
 * level remembers whether the container already has an element.
 * <p>
 * <b>Shared values.</b> A large stored value is not copied into the buffer at all: {@link #rawValueShared} records
 * where it goes (a splice: buffer position, array, offset, length), and {@link #writeTo(OutputStream)} writes the
 * buffer up to each splice, then the value straight from its own array, then the rest. So an answer holding a
 * 5 MB value costs the envelope's few bytes, and the value's bytes are written once, from where the cache keeps
 * them. {@link #length()} is the document's exact size (for Content-Length) before anything is written.
 */
public final class JsonWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 63;
    /**
     * Shared values shorter than this are copied into the buffer anyway: below a few KiB a copy is cheaper than a
     * separate socket write, and the answer is small enough to send whole.
     */
    public static final int MIN_SPLICE_BYTES = 4096;
    /**
     * Largest buffer {@link #reset} keeps for the next document: an answer writer kept per connection
     * (api.Json.answer) then holds at most this much while idle, 5 MB at 10,000 connections.
     */
    public static final int RETAINED_BYTES = 512;

    private byte[] buf;
    private int size;
    private long hasElement; // bit d set: the container at depth d already has an element
    private int depth;
    private boolean afterName;
    // splices, in buffer order: at buffer position spliceAt[i], the bytes spliceArray[i][spliceOffset[i] ..+ len]
    private int splices;
    private int[] spliceAt;
    private byte[][] spliceArray;
    private int[] spliceOffset;
    private int[] spliceLength;
    /** For a splice whose array is made late ({@link #rawValueShared(Supplier, int, int)}): what makes it. */
    private Supplier<byte[]>[] spliceSource;
    private long splicedBytes;

    public JsonWriter() {
        this(256);
    }

    public JsonWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    /**
     * Empties this writer for a new document with room for {@code capacity} bytes, keeping its buffer unless that
     * is too small or larger than {@link #RETAINED_BYTES} (an idle writer then holds no large array), and forgetting
     * the shared values it referenced.
     */
    public JsonWriter reset(int capacity) {
        if (buf.length < capacity || (buf.length > RETAINED_BYTES && capacity <= RETAINED_BYTES)) {
            buf = new byte[Math.max(capacity, 64)];
        }
        size = 0;
        hasElement = 0;
        depth = 0;
        afterName = false;
        if (splices > 0) {
            Arrays.fill(spliceArray, 0, splices, null);
            if (spliceSource != null) {
                Arrays.fill(spliceSource, 0, splices, null);
            }
            splices = 0;
            splicedBytes = 0;
        }
        return this;
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** Starts an object member; the next value written is its value. */
    public JsonWriter name(String name) {
        separate();
        writeString(name);
        put((byte) ':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String text) {
        if (text == null) {
            return nullValue();
        }
        separate();
        writeString(text);
        return this;
    }

    public JsonWriter value(long number) {
        separate();
        decimal(number);
        return this;
    }

    /**
     * {@code millis / 1000.0} as {@link #value(double)} writes it, without Double.toString's String: for
     * {@code millis} of at least 10^10 (seconds of 10^7 and more, every timestamp since 1970-04-26) that is the
     * seconds, then the thousandths without trailing zeros (none when they are all zeros). Smaller ones take the
     * double's way.
     */
    public JsonWriter valueThousandths(long millis) {
        if (millis < 10_000_000_000L) {
            return value(millis / 1000.0);
        }
        separate();
        decimal(millis / 1000);
        int fraction = (int) (millis % 1000);
        if (fraction != 0) {
            ensure(4);
            buf[size++] = '.';
            buf[size++] = (byte) ('0' + fraction / 100);
            if (fraction % 100 != 0) {
                buf[size++] = (byte) ('0' + fraction / 10 % 10);
                if (fraction % 10 != 0) {
                    buf[size++] = (byte) ('0' + fraction % 10);
                }
            }
        }
        return this;
    }

    /** A number as a JSON string of its decimal digits ({@code "42"}), as the answers' versions are written. */
    public JsonWriter valueAsString(long number) {
        separate();
        put((byte) '"');
        decimal(number);
        put((byte) '"');
        return this;
    }

    public JsonWriter value(boolean flag) {
        separate();
        ascii(flag ? "true" : "false");
        return this;
    }

    /** A finite double in plain notation ({@code 1764082627.123456}, not {@code 1.764E9}); NaN and infinities as null. */
    public JsonWriter value(double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return nullValue();
        }
        separate();
        String text = Double.toString(number);
        int e = text.indexOf('E');
        if (e < 0) {
            ascii(text);
        } else {
            plain(text, e);
        }
        return this;
    }

    /**
     * Writes Double.toString's computerized notation ({@code [-]d.dddE[-]n}, E at {@code e}) in plain notation, as
     * {@code BigDecimal.valueOf(number).toPlainString()} does (same digits, trailing zeros of the mantissa kept),
     * without its objects: every answer's {@code timestamp} (about 1.76E9) takes this path.
     */
    private void plain(String text, int e) {
        int exponent = Integer.parseInt(text, e + 1, text.length(), 10);
        int start = text.charAt(0) == '-' ? 1 : 0;
        // the mantissa's digits: text[start] then text[start + 2 .. e) (after the '.')
        int fraction = e - (start + 2); // digits after the point
        ensure(text.length() + Math.abs(exponent) + 3);
        if (start == 1) {
            buf[size++] = '-';
        }
        if (exponent >= 0) {
            buf[size++] = (byte) text.charAt(start);
            for (int i = 0; i < fraction; i++) {
                if (i == exponent) {
                    buf[size++] = '.';
                }
                buf[size++] = (byte) text.charAt(start + 2 + i);
            }
            for (int i = fraction; i < exponent; i++) {
                buf[size++] = '0';
            }
        } else {
            buf[size++] = '0';
            buf[size++] = '.';
            for (int i = 1; i < -exponent; i++) {
                buf[size++] = '0';
            }
            buf[size++] = (byte) text.charAt(start);
            for (int i = 0; i < fraction; i++) {
                buf[size++] = (byte) text.charAt(start + 2 + i);
            }
        }
    }

    public JsonWriter nullValue() {
        separate();
        ascii("null");
        return this;
    }

    /** Embeds already-valid JSON text as it is. */
    public JsonWriter rawValue(byte[] json) {
        separate();
        ensure(json.length);
        System.arraycopy(json, 0, buf, size, json.length);
        size += json.length;
        return this;
    }

    /** Embeds already-valid JSON text, or writes null when there is none (a cache miss). */
    public JsonWriter rawValueOrNull(byte[] json) {
        return json == null ? nullValue() : rawValue(json);
    }

    /**
     * Embeds already-valid JSON text held in {@code array[offset ..+ length]} by reference, without copying it
     * (short ones are copied). The caller guarantees those bytes never change while this writer is in use.
     */
    public JsonWriter rawValueShared(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        separate();
        if (length < MIN_SPLICE_BYTES) {
            ensure(length);
            System.arraycopy(array, offset, buf, size, length);
            size += length;
            return this;
        }
        splice(array, null, offset, length);
        return this;
    }

    /**
     * Embeds {@code length} bytes of already-valid JSON text from {@code offset} in an array that {@code array}
     * makes only when the document is written out (or copied): a compressed stored value, decompressed only once
     * its answer holds its place in the response budget. {@link #length()} counts it from the start. Short ones
     * are made and copied at once. The array made must hold the value at {@code offset} and never change.
     */
    @SuppressWarnings("unchecked")
    public JsonWriter rawValueShared(Supplier<byte[]> array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        if (length < MIN_SPLICE_BYTES) {
            return rawValueShared(array.get(), offset, length);
        }
        separate();
        if (spliceSource == null) {
            spliceSource = new Supplier[spliceAt == null ? 4 : spliceAt.length];
        }
        splice(null, array, offset, length);
        return this;
    }

    private void splice(byte[] array, Supplier<byte[]> source, int offset, int length) {
        if (spliceAt == null || splices == spliceAt.length) {
            int capacity = splices == 0 ? 4 : splices * 2;
            spliceAt = spliceAt == null ? new int[capacity] : Arrays.copyOf(spliceAt, capacity);
            spliceArray = spliceArray == null ? new byte[capacity][] : Arrays.copyOf(spliceArray, capacity);
            spliceOffset = spliceOffset == null ? new int[capacity] : Arrays.copyOf(spliceOffset, capacity);
            spliceLength = spliceLength == null ? new int[capacity] : Arrays.copyOf(spliceLength, capacity);
        }
        if (spliceSource != null && spliceSource.length < spliceAt.length) {
            spliceSource = Arrays.copyOf(spliceSource, spliceAt.length);
        }
        spliceAt[splices] = size;
        spliceArray[splices] = array;
        if (spliceSource != null) {
            spliceSource[splices] = source;
        }
        spliceOffset[splices] = offset;
        spliceLength[splices] = length;
        splices++;
        splicedBytes += length;
    }

    /** The array of splice {@code i}, made now if it is made late (and kept, should the document be written twice). */
    private byte[] splicedArray(int i) {
        byte[] array = spliceArray[i];
        if (array == null) {
            array = spliceSource[i].get();
            Objects.checkFromIndexSize(spliceOffset[i], spliceLength[i], array.length);
            spliceArray[i] = array;
        }
        return array;
    }

    /** Embeds a parsed JSON value by reference to the text it was parsed from (see {@link #rawValueShared}). */
    public JsonWriter rawValueShared(JsonSlice value) {
        return value.shareInto(this);
    }

    /** The document's size in bytes, shared values included. */
    public long length() {
        return size + splicedBytes;
    }

    /** Writes the document: the buffer with every shared value written from its own array in its place. */
    public void writeTo(OutputStream out) throws IOException {
        int from = 0;
        for (int i = 0; i < splices; i++) {
            out.write(buf, from, spliceAt[i] - from);
            out.write(splicedArray(i), spliceOffset[i], spliceLength[i]);
            from = spliceAt[i];
        }
        out.write(buf, from, size - from);
    }

    /**
     * The writer's own buffer when the document has no shared values: its first {@link #length()} bytes are the
     * whole document (no copy; do not write to the writer afterwards). Null when a shared value is spliced in.
     */
    public byte[] bufferIfWhole() {
        return splices == 0 ? buf : null;
    }

    /** The whole document in one new array (shared values copied in). */
    public byte[] toByteArray() {
        if (splices == 0) {
            return Arrays.copyOf(buf, size);
        }
        long length = length();
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a document of " + length + " bytes does not fit one array");
        }
        byte[] all = new byte[(int) length];
        int from = 0;
        int to = 0;
        for (int i = 0; i < splices; i++) {
            int part = spliceAt[i] - from;
            System.arraycopy(buf, from, all, to, part);
            to += part;
            System.arraycopy(splicedArray(i), spliceOffset[i], all, to, spliceLength[i]);
            to += spliceLength[i];
            from = spliceAt[i];
        }
        System.arraycopy(buf, from, all, to, size - from);
        return all;
    }

    @Override
    public String toString() {
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }

    private JsonWriter open(char c) {
        separate();
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("too deep");
        }
        depth++;
        hasElement &= ~(1L << depth);
        put((byte) c);
        return this;
    }

    private JsonWriter close(char c) {
        depth--;
        put((byte) c);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        long bit = 1L << depth;
        if ((hasElement & bit) != 0) {
            put((byte) ',');
        }
        hasElement |= bit;
    }

    private void writeString(String s) {
        ensure(s.length() * 3 + 2);
        buf[size++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[size++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                ensure(2);
                buf[size++] = '\\';
                buf[size++] = (byte) c;
            } else if (c < 0x20) {
                escapeControl(c);
            } else if (Character.isSurrogate(c)) {
                i = writeSurrogate(s, i);
            } else {
                utf8(c);
            }
        }
        ensure(1);
        buf[size++] = '"';
    }

    private int writeSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            ensure(4);
            buf[size++] = (byte) (0xF0 | (cp >> 18));
            buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[size++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        escapeUnicode(c); // a lone surrogate cannot be UTF-8; \\u keeps the text lossless
        return i;
    }

    private void utf8(char c) {
        ensure(3);
        if (c < 0x800) {
            buf[size++] = (byte) (0xC0 | (c >> 6));
        } else {
            buf[size++] = (byte) (0xE0 | (c >> 12));
            buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        }
        buf[size++] = (byte) (0x80 | (c & 0x3F));
    }

    private void escapeControl(char c) {
        switch (c) {
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            case '\b' -> ascii("\\b");
            case '\f' -> ascii("\\f");
            default -> escapeUnicode(c);
        }
    }

    private void escapeUnicode(char c) {
        ensure(6);
        buf[size++] = '\\';
        buf[size++] = 'u';
        buf[size++] = HEX[(c >> 12) & 0xF];
        buf[size++] = HEX[(c >> 8) & 0xF];
        buf[size++] = HEX[(c >> 4) & 0xF];
        buf[size++] = HEX[c & 0xF];
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /** The decimal text of a long, as Long.toString writes it, without the String. */
    private void decimal(long number) {
        if (number == Long.MIN_VALUE) {
            ascii(Long.toString(number));
            return;
        }
        ensure(20);
        if (number < 0) {
            buf[size++] = '-';
            number = -number;
        }
        int digits = 1;
        for (long rest = number / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int at = size + digits;
        size = at;
        do {
            buf[--at] = (byte) ('0' + number % 10);
            number /= 10;
        } while (number != 0);
    }

    private void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
