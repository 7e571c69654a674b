package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.cachegrid.api.RawHttp.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request line and framing as clients really send them, over a bare socket: raw UTF-8 in the path,
 * absolute-form targets, keys that spell the batch routes, HTTP/1.0, {@code Connection: close} and a broken
 * chunk-size line. Every read times out after 5 s, so a hang fails.
 */
class RequestLineTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A request head with raw bytes in the target (UTF-8 as a client sends it unescaped). */
    private static byte[] head(String method, byte[] target, String extraHeaders, String body) {
        byte[] start = ascii(method + " ");
        byte[] rest = ascii(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n")
                + "\r\n" + (body == null ? "" : body));
        byte[] all = new byte[start.length + target.length + rest.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(target, 0, all, start.length, target.length);
        System.arraycopy(rest, 0, all, start.length + target.length, rest.length);
        return all;
    }

    /** Raw (unescaped) UTF-8 keys never collapse into one key: each is stored as itself, or refused with 400. */
    @Test
    void rawUtf8KeysAreNeverMerged() {
        RawHttp.Response japan = RawHttp.exchange(node.port(),
                head("PUT", "/cache/日本".getBytes(StandardCharsets.UTF_8), "", "\"japan\""));
        RawHttp.Response china = RawHttp.exchange(node.port(),
                head("PUT", "/cache/中国".getBytes(StandardCharsets.UTF_8), "", "\"china\""));
        if (japan.status() == 200 || china.status() == 200) {
            assertEquals(200, japan.status(), japan.body());
            assertEquals(200, china.status(), china.body());
            assertEquals("japan", node.get("/cache/%E6%97%A5%E6%9C%AC").json().getString("value"));
            assertEquals("china", node.get("/cache/%E4%B8%AD%E5%9B%BD").json().getString("value"));
        } else {
            String detail = japan.error(400).getString("detail");
            assertTrue(detail.contains("percent-encod") || detail.contains("%-escape"), detail);
            china.error(400);
        }
        assertEquals(0, node.get("/admin/keys?pattern=%EF%BF%BD").json().getInt("total_found"),
                "a key with U+FFFD was stored");
    }

    /** {@code PUT http://host/cache/abc} (absolute-form, as sent to proxies) names the key {@code abc}. */
    @Test
    void absoluteFormTargetIsRoutedByItsPath() {
        RawHttp.Response put = RawHttp.exchange(node.port(),
                head("PUT", ascii("http://h/cache/abs-key"), "", "\"absolute\""));
        assertEquals(200, put.status(), put.body());
        assertEquals("abs-key", put.json().getString("key"));
        assertEquals("absolute", node.get("/cache/abs-key").json().getString("value"));
        RawHttp.Response get = RawHttp.exchange(node.port(), head("GET", ascii("http://h:8080/cache/abs-key"), "", null));
        assertEquals("absolute", get.json().getString("value"), get.body());
        assertFalse(node.get("/cache/h%2Fcache%2Fabs-key").json().getBoolean("exists"));
    }

    /** The keys {@code batch/get} and {@code batch/set}, percent-encoded, are plain keys. */
    @Test
    void keysSpellingTheBatchRoutesWorkWhenEncoded() {
        for (String key : new String[] {"batch%2Fget", "batch%2Fset", "batch%2fget"}) {
            String decoded = key.replace("%2F", "/").replace("%2f", "/");
            TestNode.Reply put = node.put("/cache/" + key, "\"v-" + key + "\"");
            assertEquals(200, put.status(), put.body());
            assertEquals(decoded, put.json().getString("key"));
            TestNode.Reply get = node.get("/cache/" + key);
            assertEquals(200, get.status(), get.body());
            assertEquals("v-" + key, get.json().getString("value"), get.body());
            assertEquals(200, node.delete("/cache/" + key).status());
        }
        // the literal routes are unchanged
        assertEquals(200, node.post("/cache/batch/set", "{\"items\":{\"bk\":1}}").status());
        assertTrue(node.post("/cache/batch/get", "{\"keys\":[\"bk\"]}").json().getJsonObject("results")
                .getJsonObject("bk").getBoolean("exists"));
    }

    /** An invalid chunk-size line is answered 400 with a JSON body on every route, never left hanging. */
    @Test
    void badChunkSizeIs400() {
        for (String target : new String[] {"PUT /cache/chunk-probe", "POST /cache", "POST /cache/batch/set",
                "POST /cache/batch/get", "PUT /cache/chunk-probe?ttl=5"}) {
            for (String tail : new String[] {"zz\r\n", "zz\r\n1\r\n0\r\n\r\n"}) {
                try (RawHttp http = RawHttp.connect(node.port())) {
                    http.send(target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n" + tail);
                    http.readResponse().error(400);
                }
            }
        }
        assertFalse(node.get("/cache/chunk-probe").json().getBoolean("exists"));
    }

    /** HTTP/1.0 gets an answer an HTTP/1.0 client understands, or a JSON 505 and a closed connection. */
    @Test
    void http10IsAnsweredClearly() {
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("GET /health HTTP/1.0\r\n\r\n");
            RawHttp.Response response = http.readResponse();
            if (response.status() == 505) {
                String detail = response.error(505).getString("detail");
                assertTrue(detail.contains("HTTP/1.1"), detail);
            } else {
                assertEquals(200, response.status(), response.body());
            }
            assertTrue(http.closedByServer(), "the connection stays open after answering HTTP/1.0");
        }
    }

    /** {@code Connection: close} from the client: the answer, then EOF. */
    @Test
    void connectionCloseEndsTheConnection() {
        for (String request : new String[] {"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "PUT /cache/close-probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1\r\n\r\n1",
                "GET /cache/close-probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /no-such-route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}) {
            try (RawHttp http = RawHttp.connect(node.port())) {
                http.send(request);
                RawHttp.Response response = http.readResponse();
                assertTrue(response.status() == 200 || response.status() == 404, response.body());
                assertTrue(http.closedByServer(), "no EOF after answering Connection: close: " + request);
            }
        }
    }
}
