package io.cachegrid.persist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Why: an operator must be able to see what a data directory holds and repair it without starting a node, as
 * {@code redis-check-aof} does for Redis ({@code scripts/cachegrid-check.sh [--repair] DIR}). Reads every snapshot
 * and log segment with the same {@link RecordReader} the start uses and reports, per file, its records and, where
 * it stops being intact, the offset and why; then what a start would load. With {@code --repair} it does what a
 * start does with damage: a log segment is cut at its first damaged record (the cut bytes kept in
 * {@code <file>.damaged-<offset>}), later segments and damaged snapshots are set aside. It refuses to repair a
 * directory a running node holds.
 *
 * <p>Exit status: 0 intact (or repaired), 1 damage found and not repaired, 2 usage or I/O error.
 */
public final class DataCheck {

    private final DataFiles files;
    private final PrintStream out;

    private DataCheck(DataFiles files, PrintStream out) {
        this.files = files;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the check; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean repair = false;
        Path dir = null;
        for (String arg : args) {
            if (arg.equals("--repair")) {
                repair = true;
            } else if (arg.startsWith("-") || dir != null) {
                err.println("usage: cachegrid-check.sh [--repair] DATA_DIR");
                return 2;
            } else {
                dir = Path.of(arg);
            }
        }
        if (dir == null) {
            err.println("usage: cachegrid-check.sh [--repair] DATA_DIR");
            return 2;
        }
        if (!Files.isDirectory(dir)) {
            err.println(dir + " is not a directory");
            return 2;
        }
        try {
            return new DataCheck(new DataFiles(dir), out).check(repair);
        } catch (IOException e) {
            err.println("cannot check " + dir + ": " + e.getMessage());
            return 2;
        }
    }

    private int check(boolean repair) throws IOException {
        if (repair) {
            try (FileChannel lock = FileChannel.open(files.dir().resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock held = lock.tryLock();
                if (held == null) {
                    throw new IOException("a running node holds it; stop the node first");
                }
                try {
                    return checkFiles(true);
                } finally {
                    held.release();
                }
            } catch (OverlappingFileLockException e) {
                throw new IOException("a node in this process holds it; stop the node first");
            }
        }
        return checkFiles(false);
    }

    private int checkFiles(boolean repair) throws IOException {
        int damaged = 0;
        long base = 0;
        List<Long> snapshots = files.snapshots();
        for (long generation : snapshots) {
            Path file = files.snapshot(generation);
            String problem = checkSnapshot(file);
            if (problem == null) {
                base = generation;
            } else {
                damaged++;
                if (repair) {
                    out.println("  repaired: set aside as " + files.setAside(file).getFileName());
                }
            }
        }
        boolean cut = false;
        for (long generation : files.logs()) {
            Path file = files.log(generation);
            if (cut) {
                damaged++;
                out.println(file.getFileName() + ": follows a damaged segment; a start does not replay it");
                if (repair) {
                    out.println("  repaired: set aside as " + files.setAside(file).getFileName());
                }
                continue;
            }
            try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
                long[] byType = new long[RecordFormat.MAX_TYPE + 1];
                long compressed = 0;
                long records = 0;
                for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                    byType[record.type()]++;
                    compressed += record.compressed() ? 1 : 0;
                    records++;
                }
                String counts = records + " records (" + byType[RecordFormat.SET] + " sets"
                        + (compressed == 0 ? "" : " of which " + compressed + " compressed") + ", "
                        + byType[RecordFormat.DELETE] + " deletes"
                        + (byType[RecordFormat.CLEAR] == 0 ? "" : ", " + byType[RecordFormat.CLEAR] + " clears") + ")";
                if (reader.damage() == null) {
                    out.println(file.getFileName() + ": OK, " + counts + ", " + reader.size() + " bytes"
                            + (generation < base ? " (older than the newest snapshot: kept as its fallback)" : ""));
                    continue;
                }
                damaged++;
                cut = generation >= base;
                long offset = reader.validEnd();
                out.println(file.getFileName() + ": DAMAGED at offset " + offset + " (" + reader.damage() + "); "
                        + counts + " intact before it, " + (reader.size() - offset) + " bytes from there on");
                if (repair) {
                    if (offset <= RecordFormat.MAGIC_BYTES && reader.size() <= RecordFormat.MAGIC_BYTES
                            || offset < RecordFormat.MAGIC_BYTES) {
                        out.println("  repaired: set aside as " + files.setAside(file).getFileName());
                    } else {
                        out.println("  repaired: truncated to " + offset + " bytes; the rest kept in "
                                + files.truncate(file, offset).getFileName());
                    }
                }
            }
        }
        out.println("A start loads " + (base == 0 ? "no snapshot" : files.snapshot(base).getFileName().toString())
                + " and replays the log segments numbered " + base + " and up.");
        if (damaged == 0) {
            out.println("No damage found.");
            return 0;
        }
        out.println(damaged + " damaged file(s)" + (repair ? ", repaired." : "; run again with --repair to cut the"
                + " damage away (a start does the same by itself)."));
        return repair ? 0 : 1;
    }

    /** Reports one snapshot; returns what is wrong with it, or null. */
    private String checkSnapshot(Path file) throws IOException {
        try (RecordReader reader = new RecordReader(file, RecordFormat.SNAPSHOT_MAGIC)) {
            long entries = 0;
            String problem = null;
            boolean ended = false;
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.type() == RecordFormat.END) {
                    ended = true;
                    if (record.version() != entries || reader.validEnd() != reader.size()) {
                        problem = "its end record does not match (" + record.version() + " entries said, "
                                + entries + " read" + (reader.validEnd() != reader.size() ? ", bytes after it" : "")
                                + ")";
                    }
                    break;
                }
                if (record.type() != RecordFormat.CLEAR) { // the clear epoch is not an entry
                    entries++;
                }
            }
            if (problem == null && reader.damage() != null) {
                problem = reader.damage() + " at offset " + reader.validEnd();
            } else if (problem == null && !ended) {
                problem = "no end record (incomplete) after " + entries + " entries";
            }
            out.println(file.getFileName() + ": " + (problem == null ? "OK, " + entries + " entries, "
                    + reader.size() + " bytes" : "DAMAGED: " + problem + "; a start falls back to the previous"
                    + " snapshot"));
            return problem;
        }
    }
}
