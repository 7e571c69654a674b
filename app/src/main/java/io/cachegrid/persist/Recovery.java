package io.cachegrid.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.cachegrid.engine.CacheEngine;

/**
 * Why: a start must rebuild what was acknowledged before the crash from whatever the disk holds, and never refuse to
 * start over a torn tail. In order:
 * <ol>
 *   <li>leftover {@code *.tmp} files (a snapshot interrupted) are deleted;</li>
 *   <li>the newest snapshot is loaded; one that is damaged or lacks its end record is set aside with a warning and
 *   the engine emptied, and the previous one is tried (the writer keeps it, and the log segments since it, until a
 *   newer snapshot is durable);</li>
 *   <li>the log segments from that snapshot's generation on are replayed in order; at the first damaged record
 *   (torn, bad length, checksum mismatch) the segment is cut there with a WARNING naming the file and offset (the
 *   cut bytes are kept in {@code <file>.damaged-<offset>}), and any later segment is set aside: what follows a
 *   gap cannot be applied safely;</li>
 *   <li>entries whose deadline passed while the node was down are dropped as they are read
 *   ({@link RecordApplier}).</li>
 * </ol>
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    /**
     * What a start found and did.
     *
     * @param base           the generation of the snapshot loaded (0: none)
     * @param nextGeneration the first generation free for a new log segment
     */
    record Result(long base, long nextGeneration, long snapshotEntries, long logRecords, long expired,
                  long durationNanos, List<String> warnings) {
    }

    private Recovery() {
    }

    static Result run(CacheEngine engine, DataFiles files, LongSupplier wallMillis) throws IOException {
        long started = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        Files.createDirectories(files.dir());
        for (Path temp : files.temporaries()) {
            Files.deleteIfExists(temp);
        }
        RecordApplier applier = new RecordApplier(engine, wallMillis);
        List<Long> snapshots = files.snapshots();
        List<Long> logs = files.logs();
        long highest = Math.max(snapshots.isEmpty() ? 0 : snapshots.getLast(), logs.isEmpty() ? 0 : logs.getLast());
        long base = 0;
        long snapshotEntries = 0;
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            long generation = snapshots.get(i);
            Path file = files.snapshot(generation);
            Loaded loaded = loadSnapshot(file, applier);
            if (loaded.damage() == null) {
                base = generation;
                snapshotEntries = loaded.entries();
                break;
            }
            engine.clear();
            warn(warnings, "Snapshot " + file + " is damaged (" + loaded.damage() + "); set aside as "
                    + files.setAside(file).getFileName() + (i > 0 ? ", loading the previous one" : ", replaying the"
                    + " log alone"));
        }
        long before = applier.applied();
        boolean cut = false;
        for (long generation : logs) {
            if (generation < base) {
                continue;
            }
            Path file = files.log(generation);
            if (cut) {
                warn(warnings, "Log segment " + file + " follows a damaged one and was not replayed; set aside as "
                        + files.setAside(file).getFileName());
                continue;
            }
            try (RecordReader reader = new RecordReader(file, RecordFormat.LOG_MAGIC)) {
                for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                    applier.apply(record);
                }
                if (reader.damage() != null) {
                    cut = true;
                    long offset = reader.validEnd();
                    if (offset < RecordFormat.MAGIC_BYTES || offset == RecordFormat.MAGIC_BYTES
                            && reader.size() <= RecordFormat.MAGIC_BYTES) {
                        warn(warnings, "Log segment " + file + " is damaged at offset 0 (" + reader.damage()
                                + "); set aside as " + files.setAside(file).getFileName());
                    } else {
                        Path aside = files.truncate(file, offset);
                        warn(warnings, "Log segment " + file + " is damaged at offset " + offset + " ("
                                + reader.damage() + "); truncated there, " + (reader.size() - offset)
                                + " bytes kept in " + aside.getFileName());
                    }
                }
            }
        }
        long duration = System.nanoTime() - started;
        return new Result(base, highest + 1, snapshotEntries, applier.applied() - before, applier.expired(), duration,
                List.copyOf(warnings));
    }

    /** A snapshot's entry count, or why it cannot be used (null when it can). */
    private record Loaded(long entries, String damage) {
    }

    /** Loads a snapshot into the engine; a damaged or incomplete one says why (the engine then holds part of it). */
    private static Loaded loadSnapshot(Path file, RecordApplier applier) throws IOException {
        try (RecordReader reader = new RecordReader(file, RecordFormat.SNAPSHOT_MAGIC)) {
            long entries = 0;
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.type() == RecordFormat.END) {
                    if (record.version() != entries || reader.validEnd() != reader.size()) {
                        return new Loaded(entries, "end record says " + record.version() + " entries after "
                                + entries + (reader.validEnd() != reader.size() ? ", and bytes follow it" : ""));
                    }
                    return new Loaded(entries, null);
                }
                if (record.type() == RecordFormat.CLEAR) {
                    applier.apply(record); // the clear epoch, before the entries: not one of them
                    continue;
                }
                if (record.type() != RecordFormat.SET && record.type() != RecordFormat.DELETE) {
                    return new Loaded(entries, "a record of type " + record.type() + " before offset "
                            + reader.validEnd());
                }
                applier.apply(record);
                entries++;
            }
            return new Loaded(entries, reader.damage() == null
                    ? "no end record: incomplete after " + entries + " entries, at offset " + reader.validEnd()
                    : reader.damage() + " at offset " + reader.validEnd());
        }
    }

    private static void warn(List<String> warnings, String warning) {
        warnings.add(warning);
        LOG.log(System.Logger.Level.WARNING, warning);
    }
}
