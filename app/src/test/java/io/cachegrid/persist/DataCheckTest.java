package io.cachegrid.persist;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheSettings;
import io.cachegrid.engine.EvictionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check/repair tool behind scripts/cachegrid-check.sh: reports damage with its offset, repairs it once. */
class DataCheckTest {

    private record Run(int status, String out) {
    }

    private static Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportsATornLogWithItsOffsetAndRepairsItOnlyWhenAsked(@TempDir Path dir) throws Exception {
        CacheEngine engine = new CacheEngine(CacheSettings.of(1000, 1 << 24, EvictionPolicy.LRU));
        try (Persistence persistence = Persistence.start(new PersistenceSettings(PersistenceMode.BOTH, dir,
                FsyncPolicy.ALWAYS, 3600), engine)) {
            engine.put("a", "1".getBytes(StandardCharsets.UTF_8), 0);
            assertTrue(persistence.snapshot());
            engine.put("b", "2".getBytes(StandardCharsets.UTF_8), 0);
            engine.delete("a");
            Run refused = check("--repair", dir.toString());
            assertEquals(2, refused.status(), "a directory a running node holds is not repaired");
            assertTrue(refused.out().contains("stop the node first"), refused.out());
        }
        Run clean = check(dir.toString());
        assertEquals(0, clean.status(), clean.out());
        assertTrue(clean.out().contains("2 records (1 sets, 1 deletes") && clean.out().contains("No damage found"),
                clean.out());

        DataFiles files = new DataFiles(dir);
        Path log = files.log(files.logs().getLast());
        long size = Files.size(log);
        Files.write(log, new byte[] {0, 0, 0, 99, 1}, StandardOpenOption.APPEND);
        Run found = check(dir.toString());
        assertEquals(1, found.status(), found.out());
        assertTrue(found.out().contains(log.getFileName() + ": DAMAGED at offset " + size), found.out());
        assertEquals(size + 5, Files.size(log), "a check alone changes nothing");

        Run repaired = check("--repair", dir.toString());
        assertEquals(0, repaired.status(), repaired.out());
        assertEquals(size, Files.size(log));
        assertEquals(0, check(dir.toString()).status());
    }

    @Test
    void usageErrorsExitWithTwo(@TempDir Path dir) {
        assertEquals(2, check().status());
        assertEquals(2, check("--fix", dir.toString()).status());
        assertEquals(2, check(dir.resolve("missing").toString()).status());
    }
}
