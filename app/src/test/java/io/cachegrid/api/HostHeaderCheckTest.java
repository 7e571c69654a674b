package io.cachegrid.api;

import java.util.List;
import java.util.Map;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1's Host rule (exactly one valid Host header, else 400 and a close), checked by {@link HostHeaderCheck}. */
class HostHeaderCheckTest {

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of());

    @Test
    void validHostsPass() {
        for (String host : List.of("x", "localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:80", "[::1]",
                "[::1]:8080", "[v1.fe80::a+en1]", "my-host.example.com", "a_b~c", "%41bc", "sub.domain:65535")) {
            assertNull(HostHeaderCheck.problem(host), host);
        }
    }

    @Test
    void invalidHostsAreRefused() {
        for (String host : List.of("", "a b", "a/b", "a@b", "host:", "host:8x", "host:-1", "host:+80", "[::1",
                "[]", "[::1]x", "[::1]:", "a\"b", "%4", "%zz", "a:b:c", "host:1234567890", "h\u00e9")) {
            assertNotNull(HostHeaderCheck.problem(host), host);
        }
    }

    @Test
    void aRequestWithoutOneValidHostIs400AndClosed() {
        // "x:y": Helidon's own simple check (the port parses) refuses it first, with its generic detail
        for (String headers : List.of("", "Host: a b\r\n", "Host: x\r\nHost: y\r\n", "Host: x:y\r\n")) {
            try (RawHttp http = RawHttp.connect(node.port())) {
                http.send("GET /cache/probe HTTP/1.1\r\n" + headers + "\r\n");
                RawHttp.Response response = http.readResponse();
                assertEquals(400, response.status(), headers);
                String detail = response.error(400).getString("detail");
                assertTrue(headers.contains("x:y") || detail.toLowerCase().contains("host"), detail);
                assertNull(http.readResponseOrClose(), "the connection is closed after the refusal");
            }
        }
        try (RawHttp http = RawHttp.connect(node.port())) {
            http.send("GET /cache/probe HTTP/1.1\r\nHost: localhost:1\r\n\r\n");
            assertEquals(200, http.readResponse().status());
        }
    }
}
