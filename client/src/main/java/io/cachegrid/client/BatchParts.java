package io.cachegrid.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * Why: a batch sent to one member is split by that member anyway and its parts forwarded; a client that knows the
 * ring splits it itself, sends each part straight to its keys' primary, concurrently, and saves the hop. Without a
 * ring the batch goes whole to any host, as before.
 */
final class BatchParts {
    private BatchParts() {
    }

    /**
     * Calls {@code send(anyKeyOfPart, partKeys)} once per primary owner (all keys in one part when no ring is
     * known) and returns the answers; the first failure is thrown.
     */
    static <T> List<T> send(Placement placement, Collection<String> keys, BiFunction<String, List<String>, T> send) {
        ClusterRing ring = placement.ring();
        if (ring == null) {
            return List.of(send.apply(null, List.copyOf(keys)));
        }
        Map<String, List<String>> byPrimary = new LinkedHashMap<>();
        for (String key : keys) {
            byPrimary.computeIfAbsent(ring.primary(key), primary -> new ArrayList<>()).add(key);
        }
        if (byPrimary.size() == 1) {
            List<String> part = byPrimary.values().iterator().next();
            return List.of(send.apply(part.getFirst(), part));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> answers = new ArrayList<>();
            for (List<String> part : byPrimary.values()) {
                answers.add(threads.submit(() -> send.apply(part.getFirst(), part)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new CacheGridException("batch part failed: " + e.getCause(), null, 0, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheGridException("interrupted while sending a batch", null, 0, e);
        }
    }
}
