package io.cachegrid.security;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.cachegrid.Main;
import io.cachegrid.TestNode;
import io.cachegrid.config.CacheGridSettings;
import io.cachegrid.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS: off by default; with CACHEGRID_CORS_ORIGINS only the listed origins get answers a browser will use. */
class AuthCorsTest {

    private static final String APP = "https://app.example.com";

    @Test
    void offByDefault() throws Exception {
        try (TestNode node = TestNode.start()) {
            HttpResponse<String> get = send(node, HttpRequest.newBuilder(node.uri("/stats")).header("Origin", APP));
            assertEquals(200, get.statusCode());
            assertTrue(get.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            HttpResponse<String> preflight = send(node, preflight(node, APP));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
    }

    @Test
    void listedOriginsOnlyWithAuthOn() throws Exception {
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_CORS_ORIGINS", APP + ", http://localhost:3000",
                "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS))) {
            // the preflight carries no token and is answered without one
            HttpResponse<String> preflight = send(node, preflight(node, APP));
            assertEquals(204, preflight.statusCode());
            assertEquals(APP, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
            String methods = preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow();
            assertTrue(methods.contains("PUT") && methods.contains("DELETE"), methods);
            String headers = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
            for (String header : new String[] {"Authorization", "If-Match", "If-None-Match", "Content-Type"}) {
                assertTrue(headers.contains(header), headers);
            }
            // the real request: the origin is echoed, on a 401 too, so the page can read the refusal
            HttpResponse<String> denied = send(node, HttpRequest.newBuilder(node.uri("/cache/k"))
                    .header("Origin", APP));
            assertEquals(401, denied.statusCode());
            assertEquals(APP, denied.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
            HttpResponse<String> allowed = send(node, HttpRequest.newBuilder(node.uri("/cache/k"))
                    .header("Origin", "http://localhost:3000").header("Authorization", "Bearer " + AuthClient.READ));
            assertEquals(200, allowed.statusCode());
            assertEquals("http://localhost:3000", allowed.headers().firstValue("Access-Control-Allow-Origin")
                    .orElseThrow());
            assertTrue(allowed.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("ETag"));
            // any other origin: no CORS header at all, for the preflight and the request
            HttpResponse<String> evilPreflight = send(node, preflight(node, "https://evil.example.com"));
            assertFalse(evilPreflight.headers().firstValue("Access-Control-Allow-Origin").isPresent());
            HttpResponse<String> evil = send(node, HttpRequest.newBuilder(node.uri("/cache/k"))
                    .header("Origin", "https://evil.example.com").header("Authorization", "Bearer " + AuthClient.READ));
            assertFalse(evil.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        }
    }

    @Test
    void originsAreCheckedAtStart() {
        for (String bad : new String[] {"*", "app.example.com", "https://app.example.com/path", "ftp://x.org"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> CacheGridSettings.resolve(
                    Main.defaults(), Map.of("CACHEGRID_CORS_ORIGINS", bad), Map.of()));
            assertTrue(e.getMessage().contains("CACHEGRID_CORS_ORIGINS"), e.getMessage());
        }
    }

    private static HttpRequest.Builder preflight(TestNode node, String origin) {
        return HttpRequest.newBuilder(node.uri("/cache/k")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization, content-type, if-match");
    }

    private static HttpResponse<String> send(TestNode node, HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
