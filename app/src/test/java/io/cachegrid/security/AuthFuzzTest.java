package io.cachegrid.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachegrid.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random requests against a node with access control on, drawn from every route of the OpenAPI document (so a new
 * route is fuzzed as soon as it is documented): random or odd path parameters, methods, query parameters,
 * precondition headers, bodies and tokens (none, wrong, read, write, admin). No answer may be a 5xx; without a valid
 * token no route but the public ones may answer 2xx or 3xx; afterwards the node is healthy and the values stored
 * before the barrage read back unchanged. The seed is in every failure message: rerun with
 * {@code -Dcachegrid.fuzz.seed=N} to repeat a run.
 */
class AuthFuzzTest {

    private static final int REQUESTS = 2_000;
    private static final Pattern PARAMETER = Pattern.compile("\\{\\+?[a-z_]+}");
    private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"};
    private static final String[] TOKENS = {null, "not-a-valid-token-0123456789", AuthClient.READ, AuthClient.WRITE,
            AuthClient.ADMIN};
    private static final String[] QUERY_NAMES = {"ttl", "tags", "by", "limit", "offset", "confirm", "pattern",
            "num_operations", "operation_type", "target", "local", "format"};
    private static final String[] ODD_VALUES = {"", "-1", "0", "1", "1e300", "NaN", "true", "%zz", "%", "a,b,,c",
            "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1.5", "get", "set", "mixed",
            "live", "scratch", " ", "%00", "日本", "x".repeat(300)};
    private static final String[] BODIES = {"", "{", "null", "[]", "{}", "\"text\"", "12", "1e999", "{\"key\":",
            "{\"key\":\"fz\",\"value\":1}", "{\"key\":\"\",\"value\":1}", "{\"key\":\"fz\",\"value\":1,\"ttl\":-5}",
            "{\"key\":\"fz\",\"value\":{\"a\":[1,2,{\"b\":null}]},\"ttl\":0.5,\"tags\":[\"t1\",\"t2\"]}",
            "{\"key\":\"fz\",\"value\":1,\"tags\":\"not-a-list\"}", "{\"key\":\"fz\",\"value\":1,\"tags\":[\"\"]}",
            "{\"keys\":[\"a\",\"b\",\"fz\"]}", "{\"keys\":[]}", "{\"keys\":[1,2]}", "{\"keys\":\"a\"}",
            "{\"items\":{\"a\":1,\"b\":[true]},\"ttl\":10}", "{\"items\":{}}", "{\"items\":[1]}",
            "{\"items\":{\"a\":1},\"tags\":[\"t1\"],\"item_tags\":{\"a\":[\"t2\"]}}", "[".repeat(600) + "]".repeat(600),
            "\"\\ud800\"", "{\"key\":\"sur\\ud800\",\"value\":1}", "{\"a\":1,\"a\":2}", "\u0000", "tru", "-"};
    private static final String[] PRECONDITIONS = {"*", "\"1\"", "\"0\"", "W/\"1\"", "garbage", "\"", "\"1\", \"2\"",
            "\"99999999999999999999999\""};
    /** Values stored before the barrage under keys it cannot name (its keys are "fz" and random characters). */
    private static final Map<String, String> SENTINELS = Map.of("sentinel-1", "{\"kept\":[1,2,3]}",
            "sentinel-2", "\"kept\"", "sentinel-3", "12345");

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(Map.of("CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS,
            "CACHEGRID_AUTH_FAILURE_LIMIT", "1000000", "CACHEGRID_DISCOVERY_DNS", "localhost"));

    @Test
    void randomRequestsGetNo5xxAndNoProtectedRouteAnswersWithoutAToken() {
        long seed = Long.getLong("cachegrid.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        SENTINELS.forEach((key, value) -> assertEquals(200,
                AuthClient.send(node, "PUT", "/cache/" + key, value, AuthClient.WRITE).status()));
        Map<String, String> roles = documentedRoles();
        List<String> templates = new ArrayList<>(roles.keySet());
        for (int i = 0; i < REQUESTS; i++) {
            String route = templates.get(random.nextInt(templates.size()));
            String method = random.nextInt(5) == 0 ? METHODS[random.nextInt(METHODS.length)] : route.split(" ")[0];
            String template = route.substring(route.indexOf(' ') + 1);
            String path = fill(template, random) + query(random);
            String body = random.nextInt(3) == 0 ? null : BODIES[random.nextInt(BODIES.length)];
            String token = TOKENS[random.nextInt(TOKENS.length)];
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(node.uri(path));
            } catch (IllegalArgumentException notAUri) {
                continue; // java.net.http cannot send it; RawSocketTest covers malformed request lines
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null && random.nextInt(8) != 0) {
                request.header("Content-Type", "application/json");
            }
            if (random.nextInt(4) == 0) {
                request.header(random.nextBoolean() ? "If-Match" : "If-None-Match",
                        PRECONDITIONS[random.nextInt(PRECONDITIONS.length)]);
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            TestNode.Reply reply = node.send(request);
            String what = "seed " + seed + ", request " + i + ": " + method + " " + path + " token=" + token
                    + " body=" + (body == null ? null : body.substring(0, Math.min(80, body.length())))
                    + " -> " + reply.status() + " " + reply.body().substring(0, Math.min(200, reply.body().length()));
            if (reply.status() >= 500) {
                fail("a 5xx: " + what);
            }
            boolean authenticated = token != null && !token.startsWith("not-");
            if (!authenticated && !"public".equals(roles.get(route)) && reply.status() < 400) {
                fail("a protected route answered without a valid token: " + what);
            }
        }
        assertEquals(200, node.get("/health").status(), "seed " + seed);
        SENTINELS.forEach((key, value) -> {
            TestNode.Reply get = AuthClient.get(node, "/cache/" + key, AuthClient.READ);
            assertEquals(200, get.status(), "seed " + seed);
            assertTrue(get.body().contains("\"value\":" + value), "seed " + seed + ": " + key + " changed: "
                    + get.body());
        });
    }

    /** A template's parameters filled with keys, ids and tags that are sometimes ordinary and sometimes not. */
    private static String fill(String template, Random random) {
        Matcher parameter = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameter.find()) {
            String value = switch (random.nextInt(6)) {
                case 0 -> "fz";
                case 1 -> encode(ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
                case 2 -> encode(randomText(random));
                case 3 -> "batch%2Fget";
                case 4 -> "a/b/c";
                default -> "lt-" + random.nextInt(5);
            };
            parameter.appendReplacement(path, Matcher.quoteReplacement(value.isEmpty() ? "x" : value));
        }
        parameter.appendTail(path);
        return path.toString();
    }

    private static String query(Random random) {
        int count = random.nextInt(3);
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < count; i++) {
            query.append(i == 0 ? '?' : '&').append(QUERY_NAMES[random.nextInt(QUERY_NAMES.length)]).append('=')
                    .append(encode(ODD_VALUES[random.nextInt(ODD_VALUES.length)]));
        }
        return query.toString();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5F) : 0xA0 + random.nextInt(0x3000)));
        }
        return text.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** "METHOD /path/{param}" of every documented operation, with its x-required-role. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> documentedRoles() {
        Map<String, Object> document;
        try (InputStream in = AuthFuzzTest.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            document = new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> roles = new LinkedHashMap<>();
        ((Map<String, Object>) document.get("paths")).forEach((path, item) -> {
            ((Map<String, Object>) item).forEach((method, operation) -> {
                if (operation instanceof Map<?, ?> op && List.of("get", "put", "post", "delete").contains(method)) {
                    roles.put(method.toUpperCase() + " " + path, String.valueOf(op.get("x-required-role")));
                }
            });
        });
        return roles;
    }
}
