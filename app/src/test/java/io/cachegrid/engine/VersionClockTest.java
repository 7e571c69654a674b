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
}
