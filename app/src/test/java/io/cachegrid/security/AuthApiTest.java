package io.cachegrid.security;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.cachegrid.security.AuthClient.ADMIN;
import static io.cachegrid.security.AuthClient.READ;
import static io.cachegrid.security.AuthClient.WRITE;
import static io.cachegrid.security.AuthClient.get;
import static io.cachegrid.security.AuthClient.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and roles through the API of a real node: 401, 403, what each role may do, metrics, no token echoed. */
class AuthApiTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS,
                "CACHEGRID_AUTH_FAILURE_LIMIT", "100000"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void noTokenIs401WithAChallengeAndAJsonError() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(node.uri("/cache/k")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"cachegrid\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("unauthorized", get(node, "/cache/k", null).error(401).getString("error"));
    }

    @Test
    void anUnknownTokenIs401AndIsNeverEchoed() {
        String guess = "guess-" + ADMIN;
        TestNode.Reply reply = get(node, "/stats", guess);
        reply.error(401);
        assertFalse(reply.body().contains(guess), reply.body());
        // a token with a different scheme, or an empty one, is no token either
        assertEquals(401, node.send(HttpRequest.newBuilder(node.uri("/stats")).header("Authorization", "Basic "
                + ADMIN)).status());
        assertEquals(401, node.send(HttpRequest.newBuilder(node.uri("/stats")).header("Authorization", "Bearer "))
                .status());
        assertEquals(401, get(node, "/stats", ADMIN.substring(0, ADMIN.length() - 1)).status());
    }

    @Test
    void theSchemeNameIsCaseInsensitive() {
        assertEquals(200, node.send(HttpRequest.newBuilder(node.uri("/stats")).header("Authorization",
                "bearer " + READ)).status());
    }

    @Test
    void readMayReadButNotWrite() {
        assertEquals(200, send(node, "PUT", "/cache/roles", "{\"v\":1}", WRITE).status());
        assertEquals("{\"v\":1}", get(node, "/cache/roles", READ).json().get("value").toString());
        assertEquals(200, send(node, "POST", "/cache/batch/get", "{\"keys\":[\"roles\"]}", READ).status());
        assertEquals(200, get(node, "/stats", READ).status());
        assertEquals(200, get(node, "/", READ).status());
        TestNode.Reply refused = send(node, "PUT", "/cache/roles", "2", READ);
        assertEquals("forbidden", refused.error(403).getString("error"));
        assertTrue(refused.json().getString("detail").contains("write"), refused.body());
        assertFalse(refused.body().contains(READ));
        send(node, "DELETE", "/cache/roles", null, READ).error(403);
        send(node, "POST", "/cache/batch/set", "{\"items\":{\"a\":1}}", READ).error(403);
    }

    @Test
    void writeMayWriteAndDeleteKeysButNotClearOrAdminister() {
        assertEquals(200, send(node, "POST", "/cache", "{\"key\":\"w\",\"value\":1}", WRITE).status());
        assertEquals(200, send(node, "POST", "/cache/batch/set", "{\"items\":{\"w2\":2}}", WRITE).status());
        assertEquals(200, send(node, "DELETE", "/cache/w", null, WRITE).status());
        send(node, "DELETE", "/cache?confirm=true", null, WRITE).error(403);
        send(node, "DELETE", "/cache/?confirm=true", null, WRITE).error(403);
        get(node, "/admin/keys", WRITE).error(403);
        send(node, "POST", "/test/load?num_operations=10", null, WRITE).error(403);
    }

    @Test
    void adminMayDoEverything() {
        assertEquals(200, get(node, "/admin/keys", ADMIN).status());
        assertEquals(200, send(node, "PUT", "/cache/a", "1", ADMIN).status());
        assertEquals(200, get(node, "/cache/a", ADMIN).status());
        assertEquals(200, send(node, "DELETE", "/cache?confirm=true", null, ADMIN).status());
    }

    @Test
    void probesConsoleAndDocsStayPublic() {
        for (String path : new String[] {"/health", "/observe/health/live", "/observe/health/ready",
                "/console/", "/docs", "/openapi"}) {
            int status = get(node, path, null).status();
            assertTrue(status == 200 || status == 204, path + " -> " + status);
        }
    }

    @Test
    void metricsNeedReadAndCountFailures() {
        get(node, "/metrics", null).error(401);
        get(node, "/observe/metrics", null).error(401);
        get(node, "/stats", "wrong-token-0123456789abcdef").error(401);
        get(node, "/admin/keys", READ).error(403);
        TestNode.Reply metrics = get(node, "/metrics", READ);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("cachegrid_auth_failures_total{reason=\"invalid\""), metrics.body());
        assertTrue(metrics.body().lines().anyMatch(line -> line.startsWith("cachegrid_auth_failures_total{reason"
                + "=\"missing\"") && !line.endsWith(" 0.0")), "missing-token failures counted");
        assertTrue(metrics.body().contains("reason=\"forbidden\""));
    }

    @Test
    void theClusterHeaderIsNoBypass() {
        // X-CacheGrid-Internal makes a node apply a request locally without routing: members only (admin)
        TestNode.Reply anonymous = node.send(HttpRequest.newBuilder(node.uri("/cache/x"))
                .header("X-CacheGrid-Internal", "replica").PUT(HttpRequest.BodyPublishers.ofString("1")));
        anonymous.error(401);
        TestNode.Reply writer = node.send(HttpRequest.newBuilder(node.uri("/cache/x"))
                .header("X-CacheGrid-Internal", "replica").header("Authorization", "Bearer " + WRITE)
                .PUT(HttpRequest.BodyPublishers.ofString("1")));
        writer.error(403);
        get(node, "/health", null); // public routes too, when the header is sent
        assertEquals(401, node.send(HttpRequest.newBuilder(node.uri("/health"))
                .header("X-CacheGrid-Internal", "replica")).status());
    }

    @Test
    void unknownRoutesNeedAdminSoTheyRevealNothing() {
        get(node, "/no/such/route", null).error(401);
        get(node, "/no/such/route", WRITE).error(403);
        get(node, "/no/such/route", ADMIN).error(404);
    }
}
