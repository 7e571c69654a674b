package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionClockTest {

    @Test
    void followsTheWallClockAndCountsWithinAMillisecond() {
        AtomicLong wall = new AtomicLong(1_000);
        VersionClock clock = new VersionClock(wall::get);
        assertEquals(1_000L << 16, clock.next());
        assertEquals((1_000L << 16) + 1, clock.next());
        wall.set(1_005);
        assertEquals(1_005L << 16, clock.next());
        assertEquals(1_005, VersionClock.millisOf(clock.current()));
    }

    @Test
    void staysMonotonicWhenTheWallClockStepsBack() {
        AtomicLong wall = new AtomicLong(50_000);
        VersionClock clock = new VersionClock(wall::get);
        long last = clock.next();
        for (long step : new long[] {-10_000, 0, -1, 3, -40_000, 20_000}) {
            wall.addAndGet(step);
            long next = clock.next();
            assertTrue(next > last, next + " after " + last + " (wall step " + step + ")");
            last = next;
        }
    }

    @Test
    void observeMovesPastARemoteVersion() {
        AtomicLong wall = new AtomicLong(10);
        VersionClock clock = new VersionClock(wall::get);
        clock.next();
        long remote = (20L << 16) + 7;
        clock.observe(remote);
        assertEquals(remote, clock.current());
        assertTrue(clock.next() > remote);
        clock.observe(5);                           // an older version changes nothing
        assertTrue(clock.current() > remote);
    }

    @Test
    void concurrentCallersNeverGetTheSameVersion() throws InterruptedException {
        VersionClock clock = new VersionClock();
        ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                long last = 0;
                for (int i = 0; i < 50_000; i++) {
                    long version = clock.next();
                    assertTrue(version > last);
                    assertTrue(seen.put(version, Boolean.TRUE) == null, "duplicate " + version);
                    last = version;
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(200_000, seen.size());
    }

    /** Every third reading moves the wall a millisecond on, so most calls race to move the clock up to the wall. */
    @Test
    void concurrentCallersGetDistinctVersionsAtLeastTheWallWhileItMoves() throws InterruptedException {
        AtomicLong readings = new AtomicLong(3_000);
        VersionClock clock = new VersionClock(() -> readings.incrementAndGet() / 3);
        ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                long last = 0;
                for (int i = 0; i < 50_000; i++) {
                    long wallBefore = readings.get() / 3;
                    long version = thread == 0 && i % 100 == 0 ? clock.observe(clock.current() + 5) : clock.next();
                    if (version <= last || (thread != 0 || i % 100 != 0) && version < wallBefore << 16) {
                        problems.add(version + " after " + last + ", wall " + wallBefore);
                    }
                    if (thread != 0 || i % 100 != 0) {
                        if (seen.put(version, Boolean.TRUE) != null) {
                            problems.add("duplicate " + version);
                        }
                    }
                    last = version;
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), problems);
        assertEquals(200_000 - 500, seen.size());
    }
}
