package io.cachegrid.api;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browsers ask every site for /favicon.ico: it is an icon, not a 404. */
class FaviconTest {

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass();

    @Test
    void servesAnIcon() throws Exception {
        HttpResponse<byte[]> icon = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(node.uri("/favicon.ico")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, icon.statusCode());
        assertEquals("image/x-icon", icon.headers().firstValue("content-type").orElse(""));
        byte[] body = icon.body();
        assertTrue(body.length > 22, "too short for an icon: " + body.length);
        // ICONDIR: reserved 0, type 1 (icon), one image
        assertArrayEquals(new byte[] {0, 0, 1, 0, 1, 0}, java.util.Arrays.copyOf(body, 6));
    }
}
