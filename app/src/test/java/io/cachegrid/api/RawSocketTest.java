package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.cachegrid.api.RawHttp.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link java.net.http.HttpClient} will not send, over a bare socket: bodies announced but never sent, chunked
 * bodies that outgrow the limit, malformed percent-escapes and plain garbage. Every read times out after 5 s, so a
 * hang fails. The node has a 1 KiB value limit ({@code CACHEGRID_MAX_VALUE_BYTES=1024}).
 */
class RawSocketTest {

    static final int MAX_VALUE_BYTES = 1024;

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of("CACHEGRID_MAX_VALUE_BYTES", String.valueOf(MAX_VALUE_BYTES)));

    /** Garbage on the wire; the server must answer 4xx or close, promptly. */
    static List<byte[]> garbage(int port) {
        List<byte[]> g = new ArrayList<>();
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        g.add(random);
        g.add(ascii("GET\r\n\r\n"));
        g.add(ascii("GET /\r\n\r\n"));
        g.add(ascii("GET /health\r\nHost: x\r\n\r\n"));
        g.add(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        g.add(ascii("\r\n\r\n\r\n\r\n"));
        g.add(ascii("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n"));
        g.add(ascii("G\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n"));
        g.add(ascii("GET /cache/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n"));
        g.add(ascii("GET /cache/a b HTTP/1.1\r\nHost: x\r\n\r\n"));
        g.add(ascii("GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"));
        g.add(ascii("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: abc\r\n\r\n1"));
        g.add(ascii("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: -1\r\n\r\n1"));
        g.add(ascii("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n1\r\n0\r\n\r\n"));
        g.add(ascii("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: ;;;\r\nContent-Length: 1\r\n\r\n1"));
        g.add(ascii("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: not a media type\r\n"
                + "Content-Length: 1\r\n\r\n1"));
        g.add(ascii("GET /cache/%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
        g.add(ascii("GET /cache/probe?ttl=%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
        g.add(ascii("GET /" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        // no space and no line end: the server reads up to its prologue limit (8192 bytes), then refuses
        g.add(new byte[9000]);
        g.add(ascii("GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + "h".repeat(20_000) + "\r\n\r\n"));
        return g;
    }

    /** Sends {@code request} on a fresh connection: the answer must be a 4xx (JSON when it has a body) or a close. */
    static void assertRefusedOrClosed(int port, byte[] request) {
        try (RawHttp http = RawHttp.connect(port)) {
            http.trySend(request);
            RawHttp.Response response = http.readResponseOrClose();
            if (response == null) {
                return;
            }
            assertTrue(response.status() >= 400 && response.status() < 500, () -> "garbage "
                    + preview(request) + " got " + response.status() + ": " + response.body());
            if (!response.body().isEmpty()) {
                response.error(response.status());
            }
        }
    }

    @Test
    void garbageIsRefusedOrClosedNeverHangs() {
        for (byte[] request : garbage(node.port())) {
            assertRefusedOrClosed(node.port(), request);
        }
        assertEquals(200, node.get("/health").status());
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    @Test
    void badPercentEncodingInTheKeyIs400() {
        for (String key : List.of("%zz", "%E2%28", "%", "%4", "abc%", "%C0%AF", "%ED%A0%80", "%FF", "a%2")) {
            for (String method : List.of("GET", "DELETE")) {
                String detail = RawHttp.exchange(node.port(), RawHttp.request(method, "/cache/" + key, null, null))
                        .error(400).getString("detail");
                assertTrue(detail.contains("%-escape") || detail.contains("percent-encod"), detail);
            }
            RawHttp.exchange(node.port(), RawHttp.request("PUT", "/cache/" + key, "application/json", ascii("1")))
                    .error(400);
            RawHttp.exchange(node.port(), RawHttp.request("GET", "/admin/entry/" + key, null, null)).error(400);
        }
    }

    /** The 413 must come from the headers alone: no body byte is ever sent. */
    @Test
    void announcedOversizeBodyIsRefusedBeforeItIsRead() {
        // 100 MB is over the server-wide limit (Helidon's check), 5000 B only over the value limit (ours);
        // batch bodies may hold many values, so only the server-wide limit applies to them
        List<String> targets = List.of("/cache/probe", "/cache", "/cache/batch/set", "/cache/batch/get");
        for (String target : targets) {
            for (long length : target.startsWith("/cache/batch") ? List.of(100_000_000L) : List.of(100_000_000L, 5000L)) {
                String method = target.equals("/cache/probe") ? "PUT" : "POST";
                try (RawHttp http = RawHttp.connect(node.port())) {
                    http.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + length + "\r\n\r\n");
                    http.readResponse().error(413);
                }
            }
        }
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    @Test
    void chunkedBodyGrowingPastTheLimitIs413() {
        for (String target : List.of("/cache/probe", "/cache")) {
            String method = target.equals("/cache") ? "POST" : "PUT";
            try (RawHttp http = RawHttp.connect(node.port())) {
                http.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n");
                String prefix = target.equals("/cache") ? "{\"key\":\"probe\",\"value\":\"" : "\"";
                http.send(Integer.toHexString(prefix.length()) + "\r\n" + prefix + "\r\n");
                // 8 KiB in 512-byte chunks, never the final chunk: the server must answer without waiting for it
                String chunk = "x".repeat(512);
                for (int i = 0; i < 16; i++) {
                    if (!http.trySend(ascii("200\r\n" + chunk + "\r\n"))) {
                        break;
                    }
                }
                http.readResponse().error(413);
            }
        }
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    /**
     * A refused body that was never read must not be taken for the next request on the connection: here its bytes
     * spell a request that would clear the cache.
     */
    @Test
    void unreadBodyIsNotParsedAsTheNextRequest() {
        assertEquals(200, node.put("/cache/survivor", "\"still here\"").status());
        String smuggled = "DELETE /cache?confirm=true HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        String body = smuggled.repeat(MAX_VALUE_BYTES / smuggled.length() + 10);
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n");
            http.readResponse().error(413);
            if (http.trySend(ascii(body + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"))) {
                RawHttp.Response next = http.readResponseOrClose();
                if (next != null) {
                    assertEquals(200, next.status(), "after a refused body the next answer is the GET /health one: "
                            + next.body());
                    assertTrue(next.body().contains("healthy"), next.body());
                }
            }
        }
        assertEquals("still here", node.get("/cache/survivor").json().getString("value"));
        // the same body sent in full before the answer is read
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            http.readResponse().error(413);
            RawHttp.Response next = http.readResponseOrClose();
            if (next != null) {
                assertEquals(200, next.status(), next.body());
            }
        }
        assertEquals("still here", node.get("/cache/survivor").json().getString("value"));
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    /** A body that ends before its Content-Length is the client's fault: 400 or a close, never a 500. */
    @Test
    void bodyCutShortIsAClientError() {
        for (String target : List.of("/cache/batch/set", "/cache/probe")) {
            String method = target.equals("/cache/probe") ? "PUT" : "POST";
            try (RawHttp http = RawHttp.connect(node.port())) {
                http.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 500\r\n\r\n{\"items\":{\"probe\":");
                http.endOutput();
                RawHttp.Response response = http.readResponseOrClose();
                if (response != null) {
                    response.error(400);
                }
            }
        }
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    /** After a broken chunked body the rest of the bytes are not taken for a request (here: one clearing the cache). */
    @Test
    void badChunkFramingDoesNotSmuggleARequest() {
        assertEquals(200, node.put("/cache/chunk-survivor", "\"still here\"").status());
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
                    + "DELETE /cache?confirm=true HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            http.readResponse().error(400);
            RawHttp.Response next = http.readResponseOrClose();
            if (next != null) {
                assertTrue(next.status() >= 400 && next.status() < 500, "the smuggled request ran: " + next.body());
            }
        }
        assertEquals("still here", node.get("/cache/chunk-survivor").json().getString("value"));
        assertFalse(node.get("/cache/probe").json().getBoolean("exists"));
    }

    /** A 4xx from a handler leaves a keep-alive connection usable for the next request. */
    @Test
    void connectionSurvivesAHandlerError() {
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5\r\n\r\n{bad}");
            http.readResponse().error(400);
            http.send("PUT /cache/probe?ttl=abc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1\r\n\r\n1");
            http.readResponse().error(400);
            http.send("GET /cache/" + "k".repeat(251) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            http.readResponse().error(400);
            http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.readResponse().status());
        }
    }

    /** Clients that stop halfway through their headers hold a connection each, not the server. */
    @Test
    void stalledClientsDoNotBlockOthers() {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RawHttp http = RawHttp.connect(node.port());
                http.send("PUT /cache/probe HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n");
                stalled.add(http);
            }
            try (RawHttp http = RawHttp.connect(node.port())) {
                http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, http.readResponse().status());
            }
        } finally {
            stalled.forEach(RawHttp::close);
        }
    }

    private static String preview(byte[] request) {
        String text = new String(request, 0, Math.min(160, request.length), StandardCharsets.ISO_8859_1);
        return "\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
