package io.cachegrid;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cachegrid.json.JsonSlice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's promise "cache contents can never exhaust the heap", checked on real nodes in small JVMs (issue 9):
 * a cache filled close to its memory limit with values of megabytes, then read in the ways that used to copy every
 * value two or three times per response (plain GETs, pipelined GETs nobody reads, batch gets of everything).
 * Every answer must be the stored bytes, a 413 naming the limit, or a 503 with Retry-After; never a 500, never an
 * OutOfMemoryError, and the node stays healthy.
 */
class HeapSafetyTest {

    private static final int MB5 = 5_000_000;
    private static final int MB8 = 8_000_000;

    /** A JSON string of exactly {@code bytes} bytes whose content depends on {@code seed}. */
    static byte[] value(int seed, int bytes) {
        byte[] json = new byte[bytes];
        json[0] = '"';
        for (int i = 1; i < bytes - 1; i++) {
            json[i] = (byte) ('a' + (i * 31 + seed * 7) % 26);
        }
        json[bytes - 1] = '"';
        return json;
    }

    private static byte[] expectedGet(String key, byte[] value) {
        byte[] head = ("{\"key\":\"" + key + "\",\"value\":").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ",\"exists\":true,\"hit\":true}".getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + value.length + tail.length);
        System.arraycopy(value, 0, all, head.length, value.length);
        System.arraycopy(tail, 0, all, head.length + value.length, tail.length);
        return all;
    }

    /** Stores {@code count} values of {@code bytes} bytes as k0, k1, ...; returns them by key. */
    private static Map<String, byte[]> fill(ChildNode node, int count, int bytes) throws Exception {
        Map<String, byte[]> stored = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] value = value(i, bytes);
            HttpResponse<byte[]> put = node.put("/cache/k" + i, value);
            assertEquals(200, put.statusCode(), () -> "PUT k: " + text(put.body()));
            stored.put("k" + i, value);
        }
        return stored;
    }

    /**
     * GETs every key (retrying a 503 a bounded number of times) and checks each hit byte for byte; returns the keys
     * found. (Misses are allowed: a cache filled past its limit has evicted the oldest.)
     */
    private static List<String> readBackExactly(ChildNode node, Map<String, byte[]> stored) throws Exception {
        List<String> hits = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : stored.entrySet()) {
            HttpResponse<byte[]> get = node.get("/cache/" + entry.getKey());
            for (int attempt = 0; get.statusCode() == 503 && attempt < 50; attempt++) {
                Thread.sleep(200);
                get = node.get("/cache/" + entry.getKey());
            }
            HttpResponse<byte[]> answer = get;
            assertEquals(200, answer.statusCode(), () -> entry.getKey() + ": " + text(answer.body()));
            if (text(answer.body(), 200).contains("\"exists\":false")) {
                continue; // evicted: allowed, the limit is the cache's to keep
            }
            assertArrayEquals(expectedGet(entry.getKey(), entry.getValue()), answer.body(), entry.getKey());
            hits.add(entry.getKey());
        }
        return hits;
    }

    /** {@link #readBackExactly}, and the cache holds at least {@code atLeast} of the values. */
    private static List<String> readBackHolding(ChildNode node, Map<String, byte[]> stored, int atLeast)
            throws Exception {
        List<String> present = readBackExactly(node, stored);
        assertTrue(present.size() >= atLeast, "the cache should hold at least " + atLeast + " values, held "
                + present);
        return present;
    }

    private static void assertHealthy(ChildNode node) throws Exception {
        assertTrue(node.alive(), node::log);
        HttpResponse<byte[]> health = node.get("/health");
        assertEquals(200, health.statusCode(), () -> text(health.body()));
        assertFalse(node.log().contains("OutOfMemoryError"), node::log);
    }

    @Test
    void plainGetsOfBigValuesSucceedAtASmallHeap() throws Exception {
        // the case: -Xmx100m, 80 MB of 5 MB values, then one plain GET failed
        try (ChildNode node = ChildNode.start("100m", Map.of("CACHEGRID_MAX_MEMORY_MB", "80"))) {
            Map<String, byte[]> stored = fill(node, 30, MB5); // more than fit: the cache ends full
            List<String> present = readBackHolding(node, stored, 16); // 80 MiB holds 16 values of 5 MB (and their overhead)
            assertEquals(present, readBackExactly(node, stored));
            assertHealthy(node);
        }
    }

    @Test
    void pipelinedGetsNobodyReadsCannotExhaustTheHeap() throws Exception {
        try (ChildNode node = ChildNode.start("160m", Map.of("CACHEGRID_MAX_MEMORY_MB", "120"))) {
            Map<String, byte[]> stored = fill(node, 20, MB8); // more than fit: the cache ends full
            String last = "k19"; // just stored, so present
            List<String> before = readBackHolding(node, stored, 8);
            byte[] request = ("GET /cache/" + last + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            List<Socket> stuck = new ArrayList<>();
            try {
                for (int c = 0; c < 40; c++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096);
                    socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 10_000);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    for (int r = 0; r < 4; r++) {
                        out.write(request);
                    }
                    out.flush();
                    stuck.add(socket);
                }
                Thread.sleep(3000); // let the node take up every request it can; nothing below depends on timing
                assertHealthy(node);
                assertEquals(200, node.get("/cache/absent").statusCode()); // small answers are never held up
                for (Socket socket : stuck) { // now read what every stuck connection was answered
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                    for (int r = 0; r < 4; r++) {
                        int status = readStatusSkippingBody(in);
                        assertTrue(status == 200 || status == 503, "status " + status);
                    }
                }
            } finally {
                for (Socket socket : stuck) {
                    socket.close();
                }
            }
            assertHealthy(node);
            List<String> present = readBackHolding(node, stored, 8);
            assertTrue(present.contains(last), "held " + present);
            assertEquals(before, present, "nothing was written, so nothing may be missing");
            assertHealthy(node);
        }
    }

    @Test
    void batchGetOfEveryKeyInAFullCacheIsRefusedNamingTheLimit() throws Exception {
        try (ChildNode node = ChildNode.start("160m", Map.of("CACHEGRID_MAX_MEMORY_MB", "120"))) {
            Map<String, byte[]> stored = fill(node, 20, MB8); // more than fit: the cache ends full
            List<String> present = readBackHolding(node, stored, 8);
            String all = String.join("\",\"", stored.keySet());
            HttpResponse<byte[]> everything = node.post("/cache/batch/get",
                    ("{\"keys\":[\"" + all + "\"]}").getBytes(StandardCharsets.UTF_8));
            assertEquals(413, everything.statusCode(), () -> text(everything.body(), 500));
            String detail = text(everything.body());
            assertTrue(detail.contains("CACHEGRID_MAX_RESPONSE_BYTES") && detail.contains("\"detail\""), detail);

            List<String> three = present.subList(0, 3);
            HttpResponse<byte[]> some = node.post("/cache/batch/get", ("{\"keys\":[\"" + String.join("\",\"", three)
                    + "\",\"nope\"]}").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, some.statusCode(), () -> text(some.body(), 500));
            Map<String, JsonSlice> results = JsonSlice.parse(some.body()).members().get("results").members();
            for (String key : three) {
                assertArrayEquals(stored.get(key), results.get(key).members().get("value").bytes(), key);
            }
            assertEquals(JsonSlice.Kind.NULL, results.get("nope").members().get("value").kind());
            assertHealthy(node);
            assertEquals(present, readBackExactly(node, stored));
        }
    }

    @Test
    void cacheContentsCanNeverExhaustTheHeap() throws Exception {
        // the README's promise: fill to the limit at a small heap (evicting), then hammer reads of every kind
        try (ChildNode node = ChildNode.start("160m", Map.of("CACHEGRID_MAX_MEMORY_MB", "120"))) {
            Map<String, byte[]> stored = fill(node, 18, MB8);
            List<String> keys = List.copyOf(stored.keySet());
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        List<Integer> statuses = new ArrayList<>();
                        for (int i = 0; i < 6; i++) {
                            String key = keys.get((thread * 5 + i * 3) % keys.size());
                            statuses.add(node.get("/cache/" + key).statusCode());
                            String batch = "{\"keys\":[\"" + keys.get((thread + i) % keys.size()) + "\",\""
                                    + keys.get((thread + i + 7) % keys.size()) + "\",\""
                                    + keys.get((thread + i + 11) % keys.size()) + "\"]}";
                            statuses.add(node.post("/cache/batch/get", batch.getBytes(StandardCharsets.UTF_8))
                                    .statusCode());
                        }
                        return statuses;
                    }));
                }
                for (Future<List<Integer>> result : results) {
                    for (int status : result.get()) {
                        assertTrue(status == 200 || status == 503, "status " + status + "\n" + node.log());
                    }
                }
            }
            assertHealthy(node);
            readBackHolding(node, stored, 15); // 120 MiB holds 15 values of 8 MB, all still there and exact
            assertHealthy(node);
        }
    }

    /** Reads one HTTP/1.1 answer's status line and headers, then skips its Content-Length body. */
    private static int readStatusSkippingBody(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).trim());
            }
        }
        long skipped = 0;
        while (skipped < length) {
            long n = in.skip(length - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed after " + skipped + " of " + length + " bytes");
                }
                n = 1;
            }
            skipped += n;
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-answer after \"" + line + "\"");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static String text(byte[] body) {
        return text(body, 2000);
    }

    private static String text(byte[] body, int max) {
        return new String(body, 0, Math.min(body.length, max), StandardCharsets.UTF_8);
    }
}
