package io.cachegrid.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why: the naming and ordering of the files in a data directory is the contract between the writer, the loader and
 * the check tool, and the directory fsync that makes a create or rename durable is easy to forget. Files carry a
 * generation number: {@code snapshot-N.cgs} holds the state as of the moment log segment {@code log-N.cgl} was
 * started, so a start loads the newest intact snapshot N and replays the segments numbered N and up, in order.
 * Temporary snapshots are {@code snapshot-N.cgs.tmp}; damaged parts set aside are {@code *.damaged-<offset>}.
 */
public final class DataFiles {

    private static final Pattern LOG = Pattern.compile("log-(\\d{12})\\.cgl");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{12})\\.cgs");

    private final Path dir;

    public DataFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path log(long generation) {
        return dir.resolve(String.format("log-%012d.cgl", generation));
    }

    public Path snapshot(long generation) {
        return dir.resolve(String.format("snapshot-%012d.cgs", generation));
    }

    Path snapshotTemp(long generation) {
        return dir.resolve(String.format("snapshot-%012d.cgs.tmp", generation));
    }

    /** Generations of the log segments present, ascending. */
    public List<Long> logs() throws IOException {
        return generations(LOG);
    }

    /** Generations of the snapshots present, ascending. */
    public List<Long> snapshots() throws IOException {
        return generations(SNAPSHOT);
    }

    private List<Long> generations(Pattern pattern) throws IOException {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = pattern.matcher(file.getFileName().toString());
                if (m.matches()) {
                    found.add(Long.parseLong(m.group(1)));
                }
            }
        }
        found.sort(null);
        return found;
    }

    /** Bytes of the log segments numbered {@code from} and up. */
    public long logBytes(long from) {
        long bytes = 0;
        try {
            for (long generation : logs()) {
                if (generation >= from) {
                    bytes += Files.size(log(generation));
                }
            }
        } catch (IOException e) {
            // a segment deleted while being listed: the next call counts again
        }
        return bytes;
    }

    /** Leftover temporary files of an interrupted snapshot. */
    List<Path> temporaries() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tmp")) {
            files.forEach(found::add);
        }
        return found;
    }

    /** A new, empty log segment with its header, fsynced and linked durably; open for appending. */
    FileChannel createLog(long generation) throws IOException {
        FileChannel channel = FileChannel.open(log(generation), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            Io.writeFully(channel, ByteBuffer.wrap(RecordFormat.LOG_MAGIC));
            channel.force(true);
            syncDirectory();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Makes creates, renames and deletes in the directory durable. */
    public void syncDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /**
     * Cuts {@code file} at {@code offset}, first copying the bytes after it to {@code <file>.damaged-<offset>} so
     * nothing is destroyed; returns that copy's path.
     */
    public Path truncate(Path file, long offset) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + offset);
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel copy = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = source.size();
            long at = offset;
            while (at < size) {
                at += source.transferTo(at, size - at, copy);
            }
            copy.force(true);
            source.truncate(offset);
            source.force(true);
        }
        syncDirectory();
        return aside;
    }

    /** Renames a whole file out of the way as {@code <file>.damaged-0}; returns the new path. */
    public Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-0");
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        return aside;
    }
}
