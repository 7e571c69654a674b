package io.cachegrid.persist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why: loading, replay and the check tool must all agree on what a good record is and where damage starts. Reads a
 * log or snapshot file record by record ({@link RecordFormat}) and stops at the first record that is not whole and
 * intact: fewer bytes left than its length says (a torn tail), a length no writer produces, a checksum mismatch, or
 * fields that contradict the length. {@link #validEnd()} is then the offset up to which the file is good and
 * {@link #damage()} says what was found there; a file that ends exactly after a record has no damage.
 */
public final class RecordReader implements AutoCloseable {

    private final Path file;
    private final InputStream in;
    private final long size;
    private long offset;
    private String damage;
    private boolean done;

    /** Opens the file and checks its magic (damage at offset 0 when it is missing or wrong). */
    public RecordReader(Path file, byte[] magic) throws IOException {
        this.file = file;
        this.size = Files.size(file);
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        byte[] head = in.readNBytes(RecordFormat.MAGIC_BYTES);
        if (head.length < RecordFormat.MAGIC_BYTES || !RecordFormat.accepts(head, magic)) {
            damage = head.length < RecordFormat.MAGIC_BYTES ? "file shorter than its " + RecordFormat.MAGIC_BYTES
                    + "-byte header" : "not a " + (magic == RecordFormat.LOG_MAGIC ? "log" : "snapshot")
                    + " file of this format (bad header)";
            done = true;
        } else {
            offset = RecordFormat.MAGIC_BYTES;
        }
    }

    /** The next intact record, or null at the end of the good part (see {@link #damage()}). */
    public LogRecord next() throws IOException {
        if (done) {
            return null;
        }
        long left = size - offset;
        if (left == 0) {
            done = true;
            return null;
        }
        if (left < RecordFormat.PREFIX_BYTES) {
            return stop("torn record: " + left + " bytes left, fewer than a record's " + RecordFormat.PREFIX_BYTES
                    + "-byte prefix");
        }
        byte[] prefix = in.readNBytes(RecordFormat.PREFIX_BYTES);
        if (prefix.length < RecordFormat.PREFIX_BYTES) {
            return stop("file shrank while being read");
        }
        int length = RecordFormat.getInt(prefix, 0);
        int crc = RecordFormat.getInt(prefix, 4);
        if (length < RecordFormat.FIXED_BYTES || length > RecordFormat.MAX_BODY_BYTES) {
            return stop("bad record length " + Integer.toUnsignedString(length));
        }
        if (length > left - RecordFormat.PREFIX_BYTES) {
            return stop("torn record: length " + length + " but only " + (left - RecordFormat.PREFIX_BYTES)
                    + " bytes left");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return stop("file shrank while being read");
        }
        if (RecordFormat.checksum(body, 0, length) != crc) {
            return stop("checksum mismatch (record of " + length + " bytes)");
        }
        LogRecord record = RecordFormat.decode(body);
        if (record == null) {
            return stop("record fields contradict its length or its type is unknown");
        }
        offset += RecordFormat.PREFIX_BYTES + length;
        return record;
    }

    private LogRecord stop(String what) {
        damage = what;
        done = true;
        return null;
    }

    /** The offset after the last intact record read (the header's end before any). */
    public long validEnd() {
        return offset;
    }

    /** What stopped the reading before the end of the file, or null (not damaged, or not read to the end yet). */
    public String damage() {
        return damage;
    }

    public long size() {
        return size;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
