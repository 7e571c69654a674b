package io.cachegrid.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the OpenAPI document ({@code META-INF/openapi.yaml}, which OpenApiDocsTest keeps equal to the
 * server's routing) is tried without a token and with each role, on a node with authentication on (a one-member
 * cluster, so the /cluster routes exist too). The expected role of each route is written here, apart from the
 * server's {@link AccessRules}: a new route fails {@link #everyDocumentedRouteHasAnExpectedRole()} until someone
 * decides who may use it.
 */
class AuthRoutesTest {

    private static final Map<String, Role> EXPECTED = Map.ofEntries(
            Map.entry("GET /", Role.READ),
            Map.entry("GET /health", Role.PUBLIC),
            Map.entry("GET /stats", Role.READ),
            Map.entry("GET /auth/role", Role.READ),
            Map.entry("GET /cache/{key}", Role.READ),
            Map.entry("PUT /cache/{key}", Role.WRITE),
            Map.entry("DELETE /cache/{key}", Role.WRITE),
            Map.entry("POST /cache", Role.WRITE),
            Map.entry("DELETE /cache", Role.ADMIN),
            Map.entry("POST /cache/batch/get", Role.READ),
            Map.entry("POST /cache/batch/set", Role.WRITE),
            Map.entry("POST /cache/{key}/incr", Role.WRITE),
            Map.entry("POST /cache/{key}/decr", Role.WRITE),
            Map.entry("GET /tags/{tag}", Role.READ),
            Map.entry("DELETE /tags/{tag}", Role.ADMIN),
            Map.entry("GET /admin/keys", Role.ADMIN),
            Map.entry("GET /admin/entry/{key}", Role.ADMIN),
            Map.entry("POST /test/load", Role.ADMIN),
            Map.entry("GET /test/load", Role.ADMIN),
            Map.entry("GET /test/load/{id}", Role.ADMIN),
            Map.entry("GET /metrics", Role.READ),
            Map.entry("GET /docs", Role.PUBLIC),
            Map.entry("GET /favicon.ico", Role.PUBLIC),
            Map.entry("GET /openapi", Role.PUBLIC),
            Map.entry("GET /observe/health", Role.PUBLIC),
            Map.entry("GET /observe/health/live", Role.PUBLIC),
            Map.entry("GET /observe/health/ready", Role.PUBLIC),
            Map.entry("GET /observe/health/started", Role.PUBLIC),
            Map.entry("GET /observe/metrics", Role.READ),
            Map.entry("GET /console/", Role.PUBLIC),
            Map.entry("GET /cluster", Role.ADMIN),
            Map.entry("GET /cluster/nodes", Role.ADMIN),
            Map.entry("POST /cluster/push", Role.ADMIN),
            Map.entry("POST /cluster/digest", Role.ADMIN),
            Map.entry("POST /cluster/versions", Role.ADMIN),
            Map.entry("POST /cluster/fetch", Role.ADMIN),
            Map.entry("POST /cluster/compare", Role.ADMIN));

    /** Request bodies and queries that make each operation do its work when it is allowed. */
    private static final Map<String, String> BODIES = Map.of(
            "PUT /cache/{key}", "{\"walk\":true}",
            "POST /cache", "{\"key\":\"walk\",\"value\":1}",
            "POST /cache/batch/get", "{\"keys\":[\"walk\"]}",
            "POST /cache/batch/set", "{\"items\":{\"walk\":2}}",
            "POST /cluster/push", "{\"items\":[]}",
            "POST /cluster/digest", "{\"peer\":\"127.0.0.1:1\",\"epoch\":\"0\"}",
            "POST /cluster/versions", "{\"peer\":\"127.0.0.1:1\",\"buckets\":[0],\"cursor\":\"0\",\"limit\":10}",
            "POST /cluster/fetch", "{\"keys\":[\"walk\"]}",
            "POST /cluster/compare", "{\"items\":[{\"key\":\"walk\",\"version\":\"1\"}]}");
    private static final Map<String, String> QUERIES = Map.of(
            "DELETE /cache", "?confirm=true",
            "POST /test/load", "?num_operations=10&operation_type=set");

    private static final String[] TOKENS = {null, AuthClient.READ, AuthClient.WRITE, AuthClient.ADMIN};
    private static final Role[] ROLES = {null, Role.READ, Role.WRITE, Role.ADMIN};

    private static TestNode node;

    @BeforeAll
    static void start() {
        // a cluster of one (DNS discovery of "localhost" finds only this node), so the cluster routes exist too
        node = TestNode.start(Map.of("CACHEGRID_DISCOVERY_DNS", "localhost",
                "CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS, "CACHEGRID_AUTH_FAILURE_LIMIT", "1000000"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyDocumentedRouteHasAnExpectedRole() {
        assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(documentedRoutes()));
    }

    /** The document tells users the role of each operation ({@code x-required-role}); it must be the real one. */
    @Test
    @SuppressWarnings("unchecked")
    void theDocumentNamesEachRouteRole() {
        Map<String, String> documented = new TreeMap<>();
        Map<String, String> expected = new TreeMap<>();
        ((Map<String, Object>) document().get("paths")).forEach((path, item) ->
                ((Map<String, Object>) item).forEach((method, operation) -> {
                    if (operation instanceof Map<?, ?> op && op.containsKey("operationId")) {
                        String route = method.toUpperCase() + " " + path;
                        documented.put(route, String.valueOf(op.get("x-required-role")));
                        expected.put(route, EXPECTED.getOrDefault(route, Role.ADMIN).configName());
                        // public operations opt out of the document-wide bearer requirement
                        assertEquals(EXPECTED.get(route) == Role.PUBLIC, java.util.List.of().equals(op.get("security")),
                                route + " security");
                    }
                }));
        assertEquals(expected, documented);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteWithEveryToken() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String route : new TreeSet<>(documentedRoutes())) {
            tests.add(DynamicTest.dynamicTest(route, () -> {
                Role needed = EXPECTED.getOrDefault(route, Role.ADMIN);
                for (int i = 0; i < TOKENS.length; i++) {
                    TestNode.Reply reply = call(route, TOKENS[i]);
                    String who = route + " with " + (ROLES[i] == null ? "no token" : ROLES[i].configName());
                    assertTrue(reply.status() < 500, who + " -> " + reply.status() + " " + reply.body());
                    if (needed == Role.PUBLIC || (ROLES[i] != null && ROLES[i].allows(needed))) {
                        assertTrue(reply.status() != 401 && reply.status() != 403,
                                who + " must be allowed: " + reply.status() + " " + reply.body());
                    } else if (ROLES[i] == null) {
                        reply.error(401);
                    } else {
                        reply.error(403);
                    }
                }
            }));
        }
        return tests.stream();
    }

    /** Odd spellings of protected paths must not borrow a public rule. */
    @Test
    void pathSpellingsCannotReachAWeakerRule() {
        for (String path : List.of("/console/../admin/keys", "/console/..%2Fadmin%2Fkeys", "/docs/../stats",
                "/health/../cache/x", "//admin/keys", "/observe/health/../../admin/keys", "/webjars/%2E%2E/stats")) {
            int status = AuthClient.get(node, path, null).status();
            assertTrue(status == 401 || status == 400 || status == 404, path + " -> " + status);
        }
    }

    private static TestNode.Reply call(String route, String token) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{key}", "walk%2Fkey").replace("{id}", "lt-unknown").replace("{tag}", "walk%2Ftag");
        String body = BODIES.get(route);
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path + QUERIES.getOrDefault(route, "")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (route.startsWith("POST /cluster/")) {
            request.header("X-CacheGrid-Internal", "replica"); // as a member sends it
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return node.send(request);
    }

    private static Map<String, Object> document() {
        try (InputStream in = AuthRoutesTest.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> documentedRoutes() {
        Map<String, Object> doc = document();
        List<String> routes = new ArrayList<>();
        new TreeMap<>((Map<String, Object>) doc.get("paths")).forEach((path, item) -> {
            for (String method : List.of("get", "put", "post", "delete", "patch", "head", "options")) {
                if (((Map<String, Object>) item).containsKey(method)) {
                    routes.add(method.toUpperCase() + " " + path);
                }
            }
        });
        return routes;
    }
}
