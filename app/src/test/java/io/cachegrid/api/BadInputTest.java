package io.cachegrid.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input over real HTTP: every refusal is a 4xx with a JSON {@code {"error", "detail"}} body, never a 5xx or a
 * hang, and never changes what is stored. The node runs with a 64 KiB value limit and a batch limit of 10, so the
 * oversize cases stay cheap on a small machine.
 */
class BadInputTest {

    static final int MAX_VALUE_BYTES = 65_536;
    static final int MAX_BATCH = 10;
    /** A key every refused write names; it must never appear in the cache. */
    static final String PROBE = "probe";

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of(
            "CACHEGRID_MAX_VALUE_BYTES", String.valueOf(MAX_VALUE_BYTES),
            "CACHEGRID_MAX_BATCH_SIZE", String.valueOf(MAX_BATCH)));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One bad request sent with {@link HttpClient} and the status it must get, with extra request headers. */
    record Case(String name, String method, String path, String contentType, byte[] body, int status,
                Map<String, String> headers) {

        Case(String name, String method, String path, String contentType, byte[] body, int status) {
            this(name, method, path, contentType, body, status, Map.of());
        }

        /** A request with one extra header (a precondition). */
        static Case withHeader(String method, String path, String json, String header, String value, int status) {
            return new Case(method + " " + shorten(path) + " with " + header + ": " + value, method, path,
                    json == null ? null : "application/json", json == null ? null : utf8(json), status,
                    Map.of(header, value));
        }

        static Case of(String method, String path, String json, int status) {
            return new Case(method + " " + shorten(path) + " " + shorten(json), method, path,
                    json == null ? null : "application/json", json == null ? null : utf8(json), status);
        }

        static Case bytes(String name, String method, String path, byte[] body, int status) {
            return new Case(name, method, path, "application/json", body, status);
        }

        static Case typed(String method, String path, String contentType, String body, int status) {
            return new Case(method + " " + path + " as " + contentType, method, path, contentType, utf8(body), status);
        }
    }

    // ---- the catalogue of bad input --------------------------------------------------------------------------

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        String put = "/cache/" + PROBE;

        // JSON that is not JSON
        for (String bad : List.of("{\"a\":", "{a:1}", "undefined", "'single'", "[1,]", "01", "{\"a\" 1}", "tru",
                "\"unterminated", "\"bad \\x escape\"", "[\"\u0001 control\"]", "+1", ".5", "NaN", "Infinity")) {
            c.add(Case.of("PUT", put, bad, 400));
        }
        c.add(Case.of("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":}", 400));
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1,}}", 400));
        c.add(Case.of("POST", "/cache/batch/get", "{\"keys\":[\"a\"", 400));

        // empty bodies
        for (String path : List.of(put, "/cache", "/cache/batch/get", "/cache/batch/set")) {
            String method = path.equals(put) ? "PUT" : "POST";
            c.add(Case.of(method, path, "", 400));
            c.add(Case.of(method, path, " \r\n\t ", 400));
            c.add(new Case(method + " " + path + " without a body", method, path, null, null, 400));
        }

        // trailing garbage after a complete value
        for (String bad : List.of("1 2", "{\"a\":1}x", "\"s\"]", "null null", "{}{}", "[1]]", "true,")) {
            c.add(Case.of("PUT", put, bad, 400));
        }
        c.add(Case.of("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":1}garbage", 400));
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1}} {}", 400));

        // invalid UTF-8 inside JSON strings
        Map<String, byte[]> badUtf8 = new LinkedHashMap<>();
        badUtf8.put("0xFF", new byte[] {(byte) 0xFF});
        badUtf8.put("lone continuation", new byte[] {(byte) 0x80});
        badUtf8.put("C3 28", new byte[] {(byte) 0xC3, 0x28});
        badUtf8.put("overlong /", new byte[] {(byte) 0xC0, (byte) 0xAF});
        badUtf8.put("surrogate D800", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        badUtf8.put("above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        badUtf8.put("truncated", new byte[] {(byte) 0xE2, (byte) 0x82});
        for (Map.Entry<String, byte[]> e : badUtf8.entrySet()) {
            c.add(Case.bytes("PUT value with " + e.getKey(), "PUT", put, concat("\"x", e.getValue(), "\""), 400));
            c.add(Case.bytes("POST key with " + e.getKey(), "POST", "/cache",
                    concat("{\"key\":\"p", e.getValue(), "\",\"value\":1}"), 400));
            c.add(Case.bytes("batch set item name with " + e.getKey(), "POST", "/cache/batch/set",
                    concat("{\"items\":{\"p", e.getValue(), "\":1}}"), 400));
        }

        // nesting deeper than 512
        c.add(Case.of("PUT", put, "[".repeat(513) + "]".repeat(513), 400));
        c.add(Case.of("PUT", put, "{\"a\":".repeat(513) + "1" + "}".repeat(513), 400));
        c.add(Case.of("PUT", put, "[".repeat(60_000), 400));
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":" + "[".repeat(600)
                + "]".repeat(600) + "}}", 400));

        // ttl in the query
        for (String ttl : List.of("-1", "0", "-0", "0.0", "abc", "NaN", "Infinity", "-Infinity", "1e309", "315360001",
                "10f", "10d", "0x10", "0x1p4", "1_0")) {
            c.add(Case.of("PUT", put + "?ttl=" + ttl, "1", 400));
        }
        // ttl in a body
        for (String ttl : List.of("-1", "0", "-0.0", "\"abc\"", "\"NaN\"", "\"10\"", "true", "[]", "{}", "1e400",
                "1e99999999999", "315360001", "-1e99999999999")) {
            c.add(Case.of("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":1,\"ttl\":" + ttl + "}", 400));
            c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1},\"ttl\":" + ttl + "}", 400));
        }

        // key length and emptiness
        String long251 = "k".repeat(251);
        String emoji251 = "\uD83D\uDE00".repeat(251);
        for (String key : List.of(long251, emoji251)) {
            String label = key.equals(long251) ? "251 ascii" : "251 emoji";
            c.add(new Case("PUT key " + label, "PUT", "/cache/" + encode(key), "application/json", utf8("1"), 400));
            c.add(new Case("GET key " + label, "GET", "/cache/" + encode(key), null, null, 400));
            c.add(new Case("DELETE key " + label, "DELETE", "/cache/" + encode(key), null, null, 400));
            c.add(Case.of("POST", "/cache", "{\"key\":\"" + key + "\",\"value\":1}", 400));
            c.add(Case.of("POST", "/cache/batch/get", "{\"keys\":[\"" + key + "\"]}", 400));
            c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"ok\":1,\"" + key + "\":1}}", 400));
        }
        c.add(Case.of("GET", "/cache/", null, 400));
        c.add(Case.of("PUT", "/cache/", "1", 400));
        c.add(Case.of("DELETE", "/cache/", null, 400));
        c.add(Case.of("DELETE", "/cache/?confirm=true", null, 400)); // the empty key, not "clear everything"
        c.add(Case.of("GET", "/admin/entry/", null, 400)); // the empty key, refused like GET /cache/
        c.add(Case.of("POST", "/cache", "{\"key\":\"\",\"value\":1}", 400));
        c.add(Case.of("POST", "/cache/batch/get", "{\"keys\":[\"\"]}", 400));
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1,\"\":1}}", 400));

        // batch get: the keys list
        for (String body : List.of("{\"keys\":[]}", "{\"keys\":\"a\"}", "{\"keys\":{\"a\":1}}", "{\"keys\":null}",
                "{\"keys\":[1]}", "{\"keys\":[\"a\",null]}", "{\"keys\":[[\"a\"]]}", "{\"keys\":[{\"k\":1}]}", "{}",
                "[]", "[\"a\"]", "\"keys\"", "{\"key\":[\"a\"]}", "{\"keys\":" + keysJson(MAX_BATCH + 1) + "}")) {
            c.add(Case.of("POST", "/cache/batch/get", body, 400));
        }
        // batch set: the items object
        for (String body : List.of("{\"items\":[]}", "{\"items\":[[\"" + PROBE + "\",1]]}", "{\"items\":\"x\"}",
                "{\"items\":null}", "{\"items\":{}}", "{}", "[]", "{\"item\":{\"" + PROBE + "\":1}}",
                "{\"items\":" + itemsJson(MAX_BATCH + 1) + "}")) {
            c.add(Case.of("POST", "/cache/batch/set", body, 400));
        }
        // POST /cache envelope
        for (String body : List.of("{\"value\":1}", "{\"key\":\"" + PROBE + "\"}", "{\"key\":1,\"value\":1}",
                "{\"key\":null,\"value\":1}", "{\"key\":[\"" + PROBE + "\"],\"value\":1}",
                "{\"key\":{\"k\":1},\"value\":1}", "{}", "[]", "\"" + PROBE + "\"", "null")) {
            c.add(Case.of("POST", "/cache", body, 400));
        }

        // query parameters
        for (String limit : List.of("0", "1001", "x", "-1", "1.5", "", "99999999999", "1e3")) {
            c.add(Case.of("GET", "/admin/keys?limit=" + limit, null, 400));
        }
        for (String query : List.of("num_operations=0", "num_operations=100001", "num_operations=x",
                "num_operations=-5", "num_operations=1e3", "num_operations=", "operation_type=bogus",
                "operation_type=", "num_operations=10&operation_type=delete")) {
            c.add(Case.of("POST", "/test/load?" + query, null, 400));
        }
        for (String query : List.of("", "?confirm=false", "?confirm=1", "?confirm=", "?confirm=yes", "?CONFIRM=true")) {
            c.add(Case.of("DELETE", "/cache" + query, null, 400));
        }

        // media types
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream")) {
            c.add(Case.typed("PUT", put, type, "1", 415));
            c.add(Case.typed("POST", "/cache", type, "{\"key\":\"" + PROBE + "\",\"value\":1}", 415));
            c.add(Case.typed("POST", "/cache/batch/set", type, "{\"items\":{\"" + PROBE + "\":1}}", 415));
            c.add(Case.typed("POST", "/cache/batch/get", type, "{\"keys\":[\"a\"]}", 415));
        }

        // routes and methods
        for (String path : List.of("/nope", "/cachex", "/admin/nope", "/cache-batch/get", "/test/load/no-such-run",
                "/admin")) {
            c.add(Case.of("GET", path, null, 404));
        }
        c.add(Case.of("POST", "/nope", "{}", 404));

        // tags: empty, with a comma, too long (64 characters), too many (16), not a list of strings
        String tag65 = "t".repeat(65);
        String tags17 = String.join(",", java.util.stream.IntStream.range(0, 17).mapToObj(i -> "t" + i).toList());
        for (String tags : List.of(",", "a,", ",a", "a,,b", tag65, tags17, encode("\uD83D\uDE00".repeat(65)))) {
            c.add(Case.of("PUT", put + "?tags=" + tags, "1", 400));
        }
        String tags17Json = "[\"" + tags17.replace(",", "\",\"") + "\"]";
        for (String tags : List.of("\"a\"", "1", "{}", "[1]", "[null]", "[\"\"]", "[\"a,b\"]", "[\"" + tag65 + "\"]",
                tags17Json, "[[\"a\"]]")) {
            c.add(Case.of("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":1,\"tags\":" + tags + "}", 400));
            c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1},\"tags\":" + tags + "}",
                    400));
            c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1},\"item_tags\":{\"" + PROBE
                    + "\":" + tags + "}}", 400));
        }
        for (String itemTags : List.of("[]", "\"a\"", "{\"other\":[\"a\"]}")) {
            c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1},\"item_tags\":" + itemTags
                    + "}", 400));
        }
        // 16 common tags and one more of its own: 17 on one item
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"" + PROBE + "\":1},\"tags\":"
                + "[\"" + tags17.substring(0, tags17.lastIndexOf(',')).replace(",", "\",\"") + "\"],\"item_tags\":{\""
                + PROBE + "\":[\"own\"]}}", 400));
        // the tag routes: bad tags, bad paging
        for (String tag : List.of("a%2Cb", tag65, "%FF")) {
            c.add(Case.of("GET", "/tags/" + tag, null, 400));
            c.add(Case.of("DELETE", "/tags/" + tag, null, 400));
        }
        for (String query : List.of("limit=0", "limit=1001", "limit=x", "offset=-1", "offset=x", "offset=1.5")) {
            c.add(Case.of("GET", "/tags/t?" + query, null, 400));
        }

        // counters: by and ttl, a bad key
        for (String by : List.of("x", "1.5", "", "1e3", "0x10", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999", " 1")) {
            c.add(Case.of("POST", put + "/incr?by=" + encode(by), null, 400));
            c.add(Case.of("POST", put + "/decr?by=" + encode(by), null, 400));
        }
        c.add(Case.of("POST", put + "/decr?by=-9223372036854775808", null, 400)); // -(-2^63) overflows
        for (String ttl : List.of("0", "-1", "abc")) {
            c.add(Case.of("POST", put + "/incr?ttl=" + ttl, null, 400));
        }
        c.add(Case.of("POST", "/cache/" + "k".repeat(251) + "/incr", null, 400));

        // preconditions: malformed headers, headers a route does not take, and failed ones (412)
        for (String bad : List.of("abc", "\"1", "1", "\"1\" x", "W/1", ",", "\"a\"\"b\"")) {
            c.add(Case.withHeader("PUT", put, "1", "If-Match", bad, 400));
            c.add(Case.withHeader("GET", put, null, "If-None-Match", bad, 400));
        }
        c.add(Case.withHeader("PUT", put, "1", "If-Match", String.join(",", java.util.Collections.nCopies(17, "\"1\"")),
                400));
        c.add(Case.withHeader("PUT", put, "1", "If-None-Match", "\"1\"", 400));
        c.add(Case.withHeader("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":1}", "If-None-Match", "\"1\"",
                400));
        c.add(Case.withHeader("DELETE", put, null, "If-None-Match", "*", 400));
        c.add(Case.withHeader("POST", put + "/incr", null, "If-Match", "\"1\"", 400));
        c.add(Case.withHeader("POST", put + "/decr", null, "If-None-Match", "*", 400));
        c.add(new Case("PUT with If-Match and If-None-Match", "PUT", put, "application/json", utf8("1"), 400,
                Map.of("If-Match", "\"1\"", "If-None-Match", "*")));
        for (String tag : List.of("\"1\"", "*", "W/\"1\"", "\"not-a-version\"", "\"1\", \"2\"")) {
            c.add(Case.withHeader("PUT", put, "1", "If-Match", tag, 412));
            c.add(Case.withHeader("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":1}", "If-Match", tag, 412));
            c.add(Case.withHeader("DELETE", put, null, "If-Match", tag, 412));
            c.add(Case.withHeader("GET", put, null, "If-Match", tag, 412));
        }

        // too large (the limit is MAX_VALUE_BYTES of JSON text)
        String big = "\"" + "x".repeat(MAX_VALUE_BYTES) + "\"";
        c.add(Case.of("PUT", put, big, 413));
        c.add(Case.of("POST", "/cache", "{\"key\":\"" + PROBE + "\",\"value\":" + big + "}", 413));
        c.add(Case.of("POST", "/cache/batch/set", "{\"items\":{\"a-small\":1,\"" + PROBE + "\":" + big + "}}", 413));
        return c;
    }

    /** Known paths asked with a method they do not serve, and the Allow header they must name. */
    static final Map<String[], String> WRONG_METHODS = Map.ofEntries(
            Map.entry(new String[] {"PATCH", "/cache/" + PROBE}, "GET, PUT, DELETE"),
            Map.entry(new String[] {"POST", "/cache/" + PROBE}, "GET, PUT, DELETE"),
            Map.entry(new String[] {"GET", "/cache"}, "POST, DELETE"),
            Map.entry(new String[] {"PUT", "/cache"}, "POST, DELETE"),
            Map.entry(new String[] {"GET", "/cache/batch/get"}, "POST"),
            Map.entry(new String[] {"DELETE", "/cache/batch/set"}, "POST"),
            Map.entry(new String[] {"PUT", "/admin/keys"}, "GET"),
            Map.entry(new String[] {"DELETE", "/test/load"}, "GET, POST"),
            Map.entry(new String[] {"POST", "/test/load/some-id"}, "GET"),
            Map.entry(new String[] {"PUT", "/admin/entry/" + PROBE}, "GET"),
            Map.entry(new String[] {"GET", "/cache/" + PROBE + "/incr"}, "POST"),
            Map.entry(new String[] {"PUT", "/cache/" + PROBE + "/decr"}, "POST"),
            Map.entry(new String[] {"PUT", "/tags/" + PROBE}, "GET, DELETE"));

    // ---- the tests -------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsItsJsonError() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            HttpResponse<String> response = send(c);
            assertJsonError(response, c.status());
        }));
    }

    @Test
    void refusedWritesStoreNothing() {
        for (Case c : cases()) {
            send(c);
        }
        assertFalse(node.get("/cache/" + PROBE).json().getBoolean("exists"), "a refused write stored the probe key");
        assertFalse(node.get("/cache/a-small").json().getBoolean("exists"),
                "a batch with one oversize value stored its other items");
        assertEquals(0, node.get("/test/load").json().getJsonArray("runs").size(), "a refused load test started");
    }

    @TestFactory
    Stream<DynamicTest> wrongMethodGets405WithAllow() {
        return WRONG_METHODS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey()[0] + " " + e.getKey()[1],
                () -> {
                    String method = e.getKey()[0];
                    boolean withBody = !method.equals("GET") && !method.equals("DELETE");
                    HttpResponse<String> response = send(new Case("", method, e.getKey()[1],
                            withBody ? "application/json" : null, withBody ? utf8("1") : null, 405));
                    assertJsonError(response, 405);
                    assertEquals(e.getValue(), response.headers().firstValue("Allow").orElse(null), "Allow header");
                }));
    }

    @Test
    void limitsAreInclusive() {
        String key250 = "k".repeat(250);
        assertEquals(200, node.put("/cache/" + key250, "1").status());
        assertEquals("1", node.get("/cache/" + key250).json().get("value").toString());

        // 250 code points, 500 UTF-16 chars, 1000 UTF-8 bytes: still a valid key
        String emoji250 = "\uD83D\uDE00".repeat(250);
        TestNode.Reply put = node.put("/cache/" + encode(emoji250), "\"smile\"");
        assertEquals(200, put.status(), put.body());
        JsonObject got = node.get("/cache/" + encode(emoji250)).json();
        assertEquals(emoji250, got.getString("key"));
        assertEquals("smile", got.getString("value"));
        assertEquals(200, node.post("/cache", "{\"key\":\"" + emoji250 + "\",\"value\":2}").status());
        assertEquals(200, node.post("/cache/batch/get", "{\"keys\":[\"" + emoji250 + "\"]}").status());
        assertEquals(200, node.post("/cache/batch/set", "{\"items\":{\"" + emoji250 + "\":3}}").status());

        String deep = "[".repeat(512) + "]".repeat(512);
        assertEquals(200, node.put("/cache/deep", deep).status());
        assertEquals(deep, node.get("/cache/deep").json().get("value").toString());

        String exact = "\"" + "x".repeat(MAX_VALUE_BYTES - 2) + "\"";
        assertEquals(200, node.put("/cache/exactly-the-limit", exact).status());
        assertEquals(200, node.post("/cache/batch/get", "{\"keys\":" + keysJson(MAX_BATCH) + "}").status());
        assertEquals(200, node.post("/cache/batch/set", "{\"items\":" + itemsJson(MAX_BATCH) + "}").status());
        assertEquals(200, node.get("/admin/keys?limit=1").status());
        assertEquals(200, node.get("/admin/keys?limit=1000").status());
        assertEquals(200, node.put("/cache/ttl-max?ttl=315360000", "1").status());
        assertEquals(200, node.put("/cache/ttl-fraction?ttl=0.5", "1").status());
        assertEquals(200, node.put("/cache/ttl-exponent?ttl=1e3", "1").status());
        assertEquals(1000, node.put("/cache/ttl-exponent?ttl=1e3", "1").json().getInt("ttl"));
        assertEquals(200, node.post("/cache", "{\"key\":\"ttl-body\",\"value\":1,\"ttl\":1.5e2}").status());
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        byte[] body = utf8("\"" + "x".repeat(MAX_VALUE_BYTES * 2) + "\"");
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.uri("/cache/" + PROBE))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertJsonError(response, 413);
        assertFalse(node.get("/cache/" + PROBE).json().getBoolean("exists"));
    }

    @Test
    void overlongUriIs414() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.uri("/cache/" + "u".repeat(20_000))).GET());
        assertJsonError(response, 414);
        assertTrue(response.body().contains("CACHEGRID_MAX_KEY_LENGTH"), response.body());
    }

    @Test
    void oversizeHeaderBlockIsRefused() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(node.uri("/cache/" + PROBE))
                .header("X-Filler", "h".repeat(20_000)).GET());
        assertTrue(response.statusCode() == 400 || response.statusCode() == 431, "status " + response.statusCode());
        assertJsonError(response, response.statusCode());
    }

    /**
     * Stores keys with known values, fires every bad input above from several threads several times, then checks
     * the node is healthy and every key reads back byte for byte.
     */
    @Test
    void barrageChangesNothing() throws Exception {
        Map<String, String> known = new LinkedHashMap<>();
        known.put("plain", "\"hello\"");
        known.put("number", "-12.5e3");
        known.put("object", "{ \"a\" : [1, 2, {\"b\": null}],\n\"c\": \"\\u00e9\\n\" }");
        known.put("unicode-\u00e9\u4e2d\uD83D\uDE00", "\"\u00e9\u4e2d\uD83D\uDE00\"");
        known.put("a/b c?d#e%f", "[true,false,null]");
        known.put("deep", "[".repeat(100) + "]".repeat(100));
        for (int i = 0; i < 30; i++) {
            known.put("key-" + i, "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(i * 10) + "\"}");
        }
        for (Map.Entry<String, String> e : known.entrySet()) {
            assertEquals(200, node.put("/cache/" + encode(e.getKey()), e.getValue()).status());
        }
        long sizeBefore = node.get("/stats").json().getJsonNumber("current_size").longValue();

        List<Case> http = cases();
        List<byte[]> raw = RawSocketTest.garbage(node.port());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < http.size(); i++) {
                            Case c = http.get((i + offset * 37) % http.size());
                            HttpResponse<String> response = send(c);
                            assertJsonError(response, c.status());
                        }
                        for (byte[] request : raw) {
                            RawSocketTest.assertRefusedOrClosed(node.port(), request);
                        }
                        for (Map.Entry<String[], String> e : WRONG_METHODS.entrySet()) {
                            assertEquals(405, send(new Case("", e.getKey()[0], e.getKey()[1], null, null, 405))
                                    .statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(200, node.get("/health").status());
        for (Map.Entry<String, String> e : known.entrySet()) {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(node.uri("/cache/" + encode(e.getKey())))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            // the value is sent back as the exact bytes stored: the body ends with them, byte for byte
            byte[] tail = utf8(",\"value\":" + e.getValue() + ",\"exists\":true,\"hit\":true}");
            byte[] body = response.body();
            assertTrue(body.length >= tail.length, "value of " + e.getKey());
            assertArrayEquals(tail, java.util.Arrays.copyOfRange(body, body.length - tail.length, body.length),
                    "value of " + e.getKey() + " in " + new String(body, StandardCharsets.UTF_8));
        }
        assertEquals(sizeBefore, node.get("/stats").json().getJsonNumber("current_size").longValue());
        assertFalse(node.get("/cache/" + PROBE).json().getBoolean("exists"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static void assertJsonError(HttpResponse<String> response, int expectedStatus) {
        assertEquals(expectedStatus, response.statusCode(), () -> "body: " + response.body());
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/json"), () -> "error is not JSON (" + type + "): " + response.body());
        JsonObject json = new TestNode.Reply(response.statusCode(), type, response.body()).error(expectedStatus);
        assertNotNull(json.getString("error"));
        assertFalse(json.getString("detail").isBlank());
    }

    private HttpResponse<String> send(Case c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(c.path())).method(c.method(),
                c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        c.headers().forEach(request::header);
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private static String keysJson(int n) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append("\"bk").append(i).append('"');
        }
        return out.append(']').toString();
    }

    private static String itemsJson(int n) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append("\"bk").append(i).append("\":").append(i);
        }
        return out.append('}').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = utf8(head);
        byte[] t = utf8(tail);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 60 ? s : s.substring(0, 40) + "…(" + s.length() + " chars)";
    }
}
