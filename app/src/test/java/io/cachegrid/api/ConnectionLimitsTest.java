package io.cachegrid.api;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that hold the server without using it are cut off, and a cap refuses connections beyond it at once
 * while the ones it holds keep working. The timeout under test is 1 s, the other one 60 s; a hang is caught by {@link RawHttp}'s 5 s read
 * timeout, so only "closed eventually, not never" is asserted, never how fast.
 */
class ConnectionLimitsTest {

    private static final int CAP = 12;

    /** A short idle timeout only: what closes its connections is the wait between requests. */
    private static TestNode idle;
    /** A short read timeout only: what closes its connections is a request that does not arrive. */
    private static TestNode read;
    private static TestNode capped;

    @BeforeAll
    static void start() {
        idle = TestNode.start(Map.of("CACHEGRID_IDLE_TIMEOUT_SECONDS", "1", "CACHEGRID_READ_TIMEOUT_SECONDS", "60"));
        read = TestNode.start(Map.of("CACHEGRID_IDLE_TIMEOUT_SECONDS", "60", "CACHEGRID_READ_TIMEOUT_SECONDS", "1"));
        capped = TestNode.start(Map.of("CACHEGRID_MAX_CONNECTIONS", String.valueOf(CAP)));
    }

    @AfterAll
    static void stop() {
        idle.close();
        read.close();
        capped.close();
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() {
        try (RawHttp http = RawHttp.connect(idle.port())) {
            http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.readResponse().status());
            assertTrue(http.closedByServer(), "a kept-alive connection stayed open past the idle timeout");
        }
    }

    /** Between requests the idle timeout applies, not the read timeout: a pause longer than the latter is fine. */
    @Test
    void keptAliveConnectionOutlivesTheReadTimeout() throws InterruptedException {
        try (RawHttp http = RawHttp.connect(read.port())) {
            http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.readResponse().status());
            Thread.sleep(2500);
            http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.readResponse().status());
        }
    }

    @Test
    void connectionThatNeverSendsIsClosed() {
        try (RawHttp http = RawHttp.connect(read.port())) {
            assertTrue(http.closedByServer(), "a connection that sent nothing stayed open past the read timeout");
        }
    }

    @Test
    void halfSentRequestIsCutOffAfterTheReadTimeout() {
        for (String part : List.of("GET /hea", "GET /health HTTP/1.1\r\nHost: x\r\n",
                "PUT /cache/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n12")) {
            try (RawHttp http = RawHttp.connect(read.port())) {
                http.send(part);
                RawHttp.Response response = http.readResponseOrClose();
                if (response != null) {
                    response.error(400); // a body cut off by the timeout may be answered before the close
                    assertTrue(http.closedByServer(), "still open after a refused half-sent body");
                }
            }
        }
        assertEquals(200, read.get("/health").status());
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAtOnceAndTheOthersKeepWorking() throws InterruptedException {
        List<RawHttp> held = new ArrayList<>();
        try {
            RawHttp refused = null;
            // a few more than the cap: the node's own listener check may hold a slot for a moment
            for (int i = 0; i < CAP + 5 && refused == null; i++) {
                RawHttp http = RawHttp.connect(capped.port());
                http.trySend(RawHttp.ascii("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
                RawHttp.Response response;
                try {
                    response = http.readResponseOrClose();
                } catch (UncheckedIOException reset) {
                    response = null; // refused: closed while our request was on its way
                }
                if (response == null || response.status() == 503) {
                    if (response != null) {
                        assertTrue(response.error(503).getString("detail").contains("CACHEGRID_MAX_CONNECTIONS"));
                    }
                    refused = http;
                } else {
                    assertEquals(200, response.status(), response.body());
                    held.add(http);
                }
            }
            assertTrue(refused != null, "no connection was refused beyond the cap of " + CAP);
            assertTrue(refused.closedByServer(), "a refused connection stays open");
            refused.close();
            assertTrue(held.size() >= CAP - 1 && held.size() <= CAP, "held " + held.size() + " with a cap of " + CAP);
            for (RawHttp http : held) {
                http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, http.readResponse().status());
            }
        } finally {
            held.forEach(RawHttp::close);
        }
        // the closed connections free their places (as soon as the server has seen them close)
        int status = 0;
        for (int i = 0; i < 100 && status != 200; i++) {
            try (RawHttp http = RawHttp.connect(capped.port())) {
                http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response response = http.readResponseOrClose();
                status = response == null ? 0 : response.status();
            }
            if (status != 200) {
                Thread.sleep(100);
            }
        }
        assertEquals(200, status);
    }
}
