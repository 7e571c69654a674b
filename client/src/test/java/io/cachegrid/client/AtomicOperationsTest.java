package io.cachegrid.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Increments, conditional writes and tags against a real server, one at a time and from many threads at once.
 * Keys carry the prefix "atomic:": the server is shared.
 */
class AtomicOperationsTest {
    private static final int THREADS = 8;

    private static SyncCacheGridClient client;

    @BeforeAll
    static void connect() {
        client = SyncCacheGridClient.builder().hosts(SharedServer.get().address()).build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void incrAndDecr() throws InterruptedException {
        assertEquals(1, client.incr("atomic:counter"), "a missing key counts from 0");
        assertEquals(6, client.incr("atomic:counter", 5));
        assertEquals(4, client.decr("atomic:counter", 2));
        assertEquals(3, client.decr("atomic:counter"));
        assertEquals(-7, client.decr("atomic:counter", 10));
        assertEquals(Optional.of(-7L), client.get("atomic:counter", Long.class), "stored as a JSON integer");

        client.set("atomic:name", "Alice");
        var notInteger = assertThrows(CacheGridBadRequestException.class, () -> client.incr("atomic:name"));
        assertEquals(409, notInteger.status());
        assertEquals(Optional.of("Alice"), client.get("atomic:name", String.class));

        client.set("atomic:max", Long.MAX_VALUE);
        var overflow = assertThrows(CacheGridBadRequestException.class, () -> client.incr("atomic:max"));
        assertEquals(400, overflow.status());
        assertEquals(Optional.of(Long.MAX_VALUE), client.get("atomic:max", Long.class), "nothing changed");
        assertEquals(Long.MAX_VALUE - 1, client.decr("atomic:max"));

        assertEquals(1, client.incr("atomic:short", 1, Duration.ofMillis(300)));
        assertEquals(2, client.incr("atomic:short", 1, Duration.ofHours(1)), "ttl applies only on creation");
        Thread.sleep(700);
        assertFalse(client.exists("atomic:short"));
    }

    @Test
    void setIfAbsent() {
        client.delete("atomic:lock");
        assertTrue(client.setIfAbsent("atomic:lock", "first", Duration.ofSeconds(60)));
        assertFalse(client.setIfAbsent("atomic:lock", "second"));
        assertEquals(Optional.of("first"), client.get("atomic:lock", String.class));
    }

    @Test
    void getWithVersionAndCompareAndSet() {
        assertEquals(Optional.empty(), client.getWithVersion("atomic:missing"));
        assertFalse(client.compareAndSet("atomic:missing", 1, "1"), "an absent key matches no version");

        client.set("atomic:doc", Map.of("n", 1));
        Versioned first = client.getWithVersion("atomic:doc").orElseThrow();
        assertEquals(1, first.value().asJsonObject().getInt("n"));
        assertTrue(client.compareAndSet("atomic:doc", Map.of("n", 2), first.version()));
        assertFalse(client.compareAndSet("atomic:doc", Map.of("n", 3), first.version()), "the version moved on");
        Versioned second = client.getWithVersion("atomic:doc").orElseThrow();
        assertNotEquals(first.version(), second.version());
        assertEquals(Map.of("n", 2L), second.value(Map.class));
        assertTrue(client.compareAndSet("atomic:doc", JsonValue.NULL, second.version(), Duration.ofSeconds(60)));
        assertEquals(JsonValue.NULL, client.getWithVersion("atomic:doc").orElseThrow().value());
    }

    @Test
    void tags() {
        assertTrue(client.set("atomic:user:1", "a", null, "atomic-team", "atomic-user:1"));
        assertTrue(client.set("atomic:user:2", "b", Duration.ofHours(1), "atomic-team"));
        assertTrue(client.set("atomic:other", "c", null, "atomic-user:1"));
        assertEquals(List.of("atomic:other", "atomic:user:1"),
                client.keysWithTag("atomic-user:1").stream().sorted().toList());
        assertEquals(2, client.invalidateTag("atomic-team"));
        assertFalse(client.exists("atomic:user:1"));
        assertFalse(client.exists("atomic:user:2"));
        assertEquals(List.of("atomic:other"), client.keysWithTag("atomic-user:1"));
        assertEquals(List.of(), client.keysWithTag("atomic-team"));
        assertEquals(0, client.invalidateTag("atomic-team"));
        client.set("atomic:other", "plain");
        assertEquals(List.of(), client.keysWithTag("atomic-user:1"), "a write without tags drops the old ones");
        var tooLong = assertThrows(CacheGridBadRequestException.class,
                () -> client.set("atomic:bad", 1, null, "t".repeat(1000)));
        assertEquals(400, tooLong.status());
    }

    @Test
    void concurrentIncrementsAllCount() throws Exception {
        client.delete("atomic:hits");
        runOnThreads(() -> {
            for (int i = 0; i < 100; i++) {
                client.incr("atomic:hits");
            }
            return null;
        });
        assertEquals(Optional.of(800L), client.get("atomic:hits", Long.class));
    }

    @Test
    void compareAndSetLoopFromManyThreadsAddsExactly() throws Exception {
        client.set("atomic:balance", 0);
        AtomicInteger refusals = new AtomicInteger();
        runOnThreads(() -> {
            for (int i = 0; i < 25; i++) {
                while (true) {
                    Versioned current = client.getWithVersion("atomic:balance").orElseThrow();
                    if (client.compareAndSet("atomic:balance", current.value(Long.class) + 1, current.version())) {
                        break;
                    }
                    refusals.incrementAndGet();
                }
            }
            return null;
        });
        assertEquals(Optional.of((long) THREADS * 25), client.get("atomic:balance", Long.class),
                "every refused attempt was retried, none counted twice (" + refusals + " refusals)");
    }

    @Test
    void setIfAbsentHasExactlyOneWinner() throws Exception {
        client.delete("atomic:leader");
        List<Boolean> wins = runOnThreads(() -> client.setIfAbsent("atomic:leader", Thread.currentThread().getName()));
        assertEquals(1, wins.stream().filter(won -> won).count(), wins.toString());
    }

    @Test
    void asyncClientDoesTheSame() {
        try (CacheGridClient async = CacheGridClient.builder().hosts(SharedServer.get().address()).build()) {
            async.delete("atomic:async").join();
            List<CompletableFuture<Long>> increments = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                increments.add(async.incr("atomic:async"));
            }
            CompletableFuture.allOf(increments.toArray(CompletableFuture[]::new)).join();
            assertEquals(90L, async.decr("atomic:async", 10).join());
            Versioned current = async.getWithVersion("atomic:async").join().orElseThrow();
            assertTrue(async.compareAndSet("atomic:async", 0, current.version()).join());
            assertFalse(async.setIfAbsent("atomic:async", 5).join());
            assertTrue(async.set("atomic:async:tagged", 1, null, "atomic-async").join());
            assertEquals(List.of("atomic:async:tagged"), async.keysWithTag("atomic-async").join());
            assertEquals(1L, async.invalidateTag("atomic-async").join());
        }
    }

    /** Runs the task on {@link #THREADS} threads started together; returns their results. */
    private static <T> List<T> runOnThreads(Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
