package io.cachegrid;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12's promise on real processes: with {@code CACHEGRID_FSYNC=always}, a node killed with SIGKILL at any
 * moment (while clients write and delete, while a snapshot is being written, right after one was renamed into place
 * while the log is being compacted) comes back with every acknowledged write and its exact value, every
 * acknowledged delete still deleted, and a write that was in flight either wholly there or not at all. 20 kills
 * and restarts of one data directory; then a torn tail appended to the log: the start succeeds and its warning
 * names the file and the offset.
 */
class PersistenceCrashTest {

    private static final int ROUNDS = 20;
    private static final int CLIENTS = 4;
    private static final int KEYS_PER_CLIENT = 40;
    private static final int PRELOADED = 2000;
    private static final String DELETED = "<deleted>";
    private static final Pattern VALUE = Pattern.compile("^\\{\"key\":\".*?\",\"value\":(.*),\"exists\":true");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** What a client knows about its key: the last acknowledged state and a write in flight when the node died. */
    private static final class KeyState {
        volatile String acked;     // null: absent or deleted
        volatile String pending;   // a value or DELETED sent but not answered; null: none
    }

    private final Map<String, KeyState> model = new ConcurrentHashMap<>();
    private final AtomicInteger totalAcknowledged = new AtomicInteger();
    private int inFlightApplied;
    private int inFlightLost;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Test
    void everyAcknowledgedChangeSurvivesKillNineInEachPhase(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("CACHEGRID_PERSISTENCE", "both", "CACHEGRID_DATA_DIR", dir.toString(),
                "CACHEGRID_FSYNC", "always", "CACHEGRID_SNAPSHOT_INTERVAL", "0.3",
                "CACHEGRID_MAX_MEMORY_MB", "64");
        for (int c = 0; c < CLIENTS; c++) {
            for (int k = 0; k < KEYS_PER_CLIENT; k++) {
                model.put("c" + c + ":k" + k, new KeyState());
            }
        }
        SplittableRandom random = new SplittableRandom(12);
        int duringSnapshot = 0;
        for (int round = 0; round < ROUNDS; round++) {
            ChildNode node = ChildNode.start("256m", env);
            try {
                if (round == 0) {
                    preload(node);
                } else {
                    verify(node, "round " + round);
                }
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger acknowledged = new AtomicInteger();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    long seed = random.nextLong();
                    clients.add(Thread.ofPlatform().start(() -> write(node, client, seed, stop, acknowledged)));
                }
                switch (round % 3) {
                    case 0 -> Thread.sleep(200 + random.nextInt(1300));           // any moment of the writes
                    case 1 -> duringSnapshot += awaitFile(dir, ".cgs.tmp") ? 1 : 0; // a snapshot being written
                    default -> awaitNewSnapshot(dir);                              // the log being compacted
                }
                node.kill();
                stop.set(true);
                for (Thread client : clients) {
                    client.join(TIMEOUT.toMillis());
                }
                assertTrue(acknowledged.get() > 0 || round % 3 != 0, "round " + round + ": no write acknowledged");
                totalAcknowledged.addAndGet(acknowledged.get());
            } finally {
                node.close();
            }
        }
        assertTrue(duringSnapshot > 0, "no kill landed while a snapshot was being written");
        assertTrue(totalAcknowledged.get() >= 200, "only " + totalAcknowledged + " writes acknowledged");
        System.out.printf("PersistenceCrashTest: %d kills, %d while a snapshot was written; %d changes acknowledged;"
                + " in flight at a kill: %d found applied, %d not%n", ROUNDS, duringSnapshot, totalAcknowledged.get(),
                inFlightApplied, inFlightLost);

        // the last state, then a torn record appended to the newest log segment
        try (ChildNode node = ChildNode.start("256m", env)) {
            verify(node, "after the last kill");
            put(node, "c0:k0", "\"last\"");
            model.get("c0:k0").acked = "\"last\"";
            node.kill();
        }
        Path log;
        try (Stream<Path> files = Files.list(dir)) {
            log = files.filter(f -> f.getFileName().toString().matches("log-\\d+\\.cgl")).sorted().toList().getLast();
        }
        long size = Files.size(log);
        Files.write(log, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);
        try (ChildNode node = ChildNode.start("256m", env)) {
            verify(node, "after the torn tail");
            String warning = node.log().lines().filter(l -> l.contains("WARNING") || l.contains("damaged"))
                    .filter(l -> l.contains(log.toString())).findFirst().orElse("");
            assertTrue(warning.contains("offset " + size) && warning.contains("torn"), node.log());
        }
    }

    /** Many entries of 1 KB, so that each snapshot takes a while (and a kill can land inside one). */
    private void preload(ChildNode node) throws Exception {
        String value = "\"" + "p".repeat(1000) + "\"";
        for (int batch = 0; batch < PRELOADED / 500; batch++) {
            StringBuilder body = new StringBuilder("{\"items\":{");
            for (int i = 0; i < 500; i++) {
                body.append(i == 0 ? "" : ",").append("\"pre:").append(batch * 500 + i).append("\":").append(value);
            }
            HttpResponse<byte[]> answer = node.post("/cache/batch/set", body.append("}}").toString()
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(200, answer.statusCode());
        }
    }

    /** One client: puts (70%) and deletes (30%) on its own keys until told to stop or the node dies. */
    private void write(ChildNode node, int client, long seed, AtomicBoolean stop, AtomicInteger acknowledged) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int seq = 0; !stop.get(); seq++) {
            String key = "c" + client + ":k" + random.nextInt(KEYS_PER_CLIENT);
            KeyState state = model.get(key);
            boolean delete = random.nextInt(10) < 3;
            String value = delete ? DELETED
                    : "{\"c\":" + client + ",\"s\":" + seq + ",\"r\":" + random.nextLong() + ",\"pad\":\""
                      + "v".repeat(random.nextInt(200)) + "\"}";
            state.pending = value;
            try {
                HttpResponse<byte[]> answer = delete ? delete(node, key) : put(node, key, value);
                if (answer.statusCode() != 200) {
                    return; // the node is going away
                }
            } catch (Exception e) {
                return; // killed mid-request: the change stays pending (either outcome is allowed)
            }
            state.acked = delete ? null : value;
            state.pending = null;
            acknowledged.incrementAndGet();
        }
    }

    private void verify(ChildNode node, String when) throws Exception {
        for (Map.Entry<String, KeyState> entry : model.entrySet()) {
            KeyState state = entry.getValue();
            String held = read(node, entry.getKey());
            boolean asAcked = held == null ? state.acked == null : held.equals(state.acked);
            boolean asPending = state.pending != null
                    && (held == null ? state.pending.equals(DELETED) : held.equals(state.pending));
            if (!asAcked && !asPending) {
                fail(when + ": " + entry.getKey() + " holds " + held + "; acknowledged " + state.acked
                     + ", in flight " + state.pending);
            }
            if (state.pending != null) {
                if (asPending && !asAcked) {
                    inFlightApplied++;
                } else {
                    inFlightLost++;
                }
            }
            state.acked = held;
            state.pending = null;
        }
        for (int i = 0; i < PRELOADED; i += 97) {
            assertEquals("\"" + "p".repeat(1000) + "\"", read(node, "pre:" + i), when + ": pre:" + i);
        }
    }

    /** The key's value as stored (exact text), or null when absent. */
    private String read(ChildNode node, String key) throws Exception {
        HttpResponse<byte[]> answer = node.get("/cache/" + key);
        assertEquals(200, answer.statusCode());
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        Matcher m = VALUE.matcher(body);
        if (!m.find()) {
            assertTrue(body.contains("\"exists\":false"), body);
            return null;
        }
        return m.group(1);
    }

    private HttpResponse<byte[]> put(ChildNode node, String key, String value) throws Exception {
        return node.put("/cache/" + key, value.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> delete(ChildNode node, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(node.uri("/cache/" + key)).timeout(TIMEOUT).DELETE().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits (up to 5 s) until a file ending so exists in {@code dir}; whether it saw one. */
    private static boolean awaitFile(Path dir, String suffix) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(suffix))) {
                    return true;
                }
            } catch (IOException raced) {
                // a file went while listed
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Waits (up to 5 s) until a snapshot newer than the current ones is renamed into place. */
    private static void awaitNewSnapshot(Path dir) throws Exception {
        String newest = newestSnapshot(dir);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && newestSnapshot(dir).equals(newest)) {
            Thread.onSpinWait();
        }
    }

    private static String newestSnapshot(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("snapshot-\\d+\\.cgs"))
                    .sorted().reduce("", (a, b) -> b);
        } catch (IOException raced) {
            return "";
        }
    }
}
