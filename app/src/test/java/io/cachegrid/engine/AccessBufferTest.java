package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lossy ring that carries reads to the policy: order, capacity, and no loss or duplicate across threads. */
class AccessBufferTest {

    @Test
    void drainsInRecordingOrderAndRefusesWhenFull() {
        AccessBuffer buffer = new AccessBuffer();
        List<Entry> recorded = new ArrayList<>();
        for (int i = 0; i < AccessBuffer.CAPACITY; i++) {
            Entry entry = entry("k" + i);
            recorded.add(entry);
            assertTrue(buffer.offer(entry, i));
        }
        assertFalse(buffer.offer(entry("one too many"), -1));
        assertEquals(AccessBuffer.CAPACITY, buffer.pending());

        List<Entry> drained = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        buffer.drain((entry, hash) -> {
            drained.add(entry);
            hashes.add(hash);
        });
        assertEquals(recorded, drained);
        for (int i = 0; i < hashes.size(); i++) {
            assertEquals(i, hashes.get(i));
        }
        assertEquals(0, buffer.pending());
        assertTrue(buffer.offer(AccessBuffer.MISS, 7));   // room again, and around the ring
        buffer.drain((entry, hash) -> {
            assertSame(AccessBuffer.MISS, entry);
            assertEquals(7, hash);
        });
        buffer.checkInvariants();
    }

    /**
     * Producers offer numbered accesses while a consumer drains (as the write lock would, one at a time); a full
     * ring makes a producer retry. Every access must come out exactly once and each producer's in its order.
     */
    @Test
    void concurrentProducersLoseNothingTheConsumerDrains() throws InterruptedException {
        int producers = 3;
        int perProducer = 100_000;
        AccessBuffer buffer = new AccessBuffer();
        Entry[] tokens = new Entry[producers];
        for (int p = 0; p < producers; p++) {
            tokens[p] = entry("producer" + p);
        }
        long[] nextExpected = new long[producers];
        AtomicInteger wrong = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread consumer = Thread.ofPlatform().start(() -> {
            AccessBuffer.Replay check = (entry, hash) -> {
                int p = (int) (hash >>> 32);
                if (tokens[p] != entry || (hash & 0xFFFF_FFFFL) != nextExpected[p]++) {
                    wrong.incrementAndGet();
                }
            };
            while (!done.get()) {
                buffer.drain(check);
                Thread.onSpinWait();
            }
            buffer.drain(check);
        });
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (long i = 0; i < perProducer; i++) {
                    while (!buffer.offer(tokens[producer], (long) producer << 32 | i)) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        done.set(true);
        consumer.join();
        assertEquals(0, wrong.get());
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, nextExpected[p], "producer " + p);
        }
        assertEquals(0, buffer.pending());
    }

    private static Entry entry(String key) {
        return Entry.create(Entry.newData(Keys.encode(key), new byte[1]), key.length(), Keys.hash(key),
                            Entry.NO_DEADLINE);
    }
}
