package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.cachegrid.Main;
import io.cachegrid.TestNode;
import io.cachegrid.config.CacheGridSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hand-written OpenAPI document ({@code META-INF/openapi.yaml}, served at {@code /openapi}) and the server's
 * routing must agree both ways: every route the server serves is documented, and every documented path and method
 * is routed (and every undocumented method on a documented path is not). Also checks that {@code /docs} works
 * offline: Swagger UI and its stylesheet come from this node's {@code /webjars}.
 */
class OpenApiDocsTest {

    /**
     * The routes Helidon features add by themselves (observe, OpenAPI, static content), which do not pass through
     * the routing method that {@link RoutingRecorder} reads. Every other route is read from the routing itself.
     */
    private static final Set<String> FEATURE_ROUTES = Set.of(
            "GET /openapi",
            "GET /observe/health", "GET /observe/health/live", "GET /observe/health/ready",
            "GET /observe/health/started", "GET /observe/metrics");

    /** Methods probed on every documented path; OPTIONS and HEAD are left to the server's generic handling. */
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");

    /** Values for path parameters when a documented path is requested. */
    private static final Map<String, String> PATH_SAMPLES = Map.of(
            "{key}", "openapi%2Fprobe%20key",
            "{tag}", "openapi%2Fprobe%20tag",
            "{id}", "lt-unknown");

    /** A cluster of one (DNS discovery of "localhost" finds only this node), so the cluster routes exist too. */
    private static final Map<String, String> ENV = Map.of("CACHEGRID_DISCOVERY_DNS", "localhost");

    @RegisterExtension
    static final TestNode node = TestNode.forEachClass(ENV);

    @Test
    void servesTheDocumentAsYamlByDefault() {
        TestNode.Reply reply = node.get("/openapi");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/vnd.oai.openapi"), reply.contentType());
        Map<String, Object> doc = yaml(reply.body());
        assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), "not OpenAPI 3: " + doc.get("openapi"));
        assertEquals("CacheGrid", map(doc.get("info")).get("title"));
        assertEquals(packagedDocument(), doc, "/openapi must serve META-INF/openapi.yaml as written");
    }

    @Test
    void servesJsonWhenAskedFor() {
        Map<String, Object> expected = yaml(node.get("/openapi").body());
        List<TestNode.Reply> replies = List.of(
                node.get("/openapi?format=json"),
                node.send(HttpRequest.newBuilder(node.uri("/openapi")).header("Accept", "application/json").GET()));
        for (TestNode.Reply reply : replies) {
            assertEquals(200, reply.status(), reply.body());
            assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
            assertTrue(reply.body().stripLeading().startsWith("{"), "not JSON: " + head(reply.body()));
            // Parsed with a YAML parser, not a JSON one: Helidon 4.5.0 writes a null as `!!null "null"` in this
            // form (the document's examples hold nulls), which strict JSON parsers refuse. /docs reads YAML.
            assertEquals(expected, yaml(reply.body()), "the JSON form must hold the same document");
        }
        // ?format= wins over Accept, which is how /docs gets YAML whatever Swagger UI sends
        TestNode.Reply yaml = node.send(HttpRequest.newBuilder(node.uri("/openapi?format=yaml"))
                .header("Accept", "application/json,*/*").GET());
        assertEquals(200, yaml.status());
        assertTrue(yaml.contentType().startsWith("application/vnd.oai.openapi"), yaml.contentType());
    }

    @Test
    void documentListsExactlyTheServedRoutes() {
        assertEquals(servedRoutes(), new TreeSet<>(documentedRoutes(packagedDocument())));
    }

    @Test
    void documentIsInternallyConsistent() {
        Map<String, Object> doc = packagedDocument();
        List<String> problems = new ArrayList<>();
        collectDanglingRefs(doc, doc, "", problems);
        Set<String> operationIds = new TreeSet<>();
        for (Map.Entry<String, Object> path : map(doc.get("paths")).entrySet()) {
            Map<String, Object> item = map(path.getValue());
            for (String method : METHODS) {
                Map<String, Object> operation = map(item.get(method.toLowerCase()));
                if (operation == null) {
                    continue;
                }
                String where = method + " " + path.getKey();
                if (!operationIds.add(String.valueOf(operation.get("operationId")))) {
                    problems.add(where + ": operationId missing or repeated");
                }
                Map<String, Object> responses = map(operation.get("responses"));
                if (responses.keySet().stream().noneMatch(code -> code.startsWith("2"))) {
                    problems.add(where + ": no success response");
                }
                responses.forEach((code, response) -> {
                    if (code.startsWith("4") && !errorShaped(doc, map(response))) {
                        problems.add(where + " " + code + ": a refusal must be the Error schema");
                    }
                });
                Matcher params = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                while (params.find()) {
                    if (!declaresPathParameter(doc, item, operation, params.group(1))) {
                        problems.add(where + ": path parameter " + params.group(1) + " not declared");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void documentedLimitsMatchTheConfiguredDefaults() {
        Map<String, Object> doc = packagedDocument();
        Map<String, Object> settings = map(yaml(resource("application.yaml")).get("cachegrid"));
        Map<String, Object> components = map(doc.get("components"));
        Map<String, Object> keyParam = map(map(map(components.get("parameters")).get("Key")).get("schema"));
        Map<String, Object> schemas = map(components.get("schemas"));
        assertEquals(settings.get("max-key-length"), keyParam.get("maxLength"));
        assertEquals(settings.get("max-key-length"), map(schemas.get("Key")).get("maxLength"));
        Map<String, Object> keys = map(map(map(schemas.get("BatchGetRequest")).get("properties")).get("keys"));
        assertEquals(settings.get("max-batch-size"), keys.get("maxItems"));
        Map<String, Object> items = map(map(map(schemas.get("BatchSetRequest")).get("properties")).get("items"));
        assertEquals(settings.get("max-batch-size"), items.get("maxProperties"));
        Map<String, Object> tagList = map(schemas.get("TagList"));
        assertEquals(settings.get("max-tags-per-key"), tagList.get("maxItems"));
        assertEquals(settings.get("max-tag-length"), map(tagList.get("items")).get("maxLength"));
        assertEquals(settings.get("max-tag-length"),
                map(map(map(components.get("parameters")).get("Tag")).get("schema")).get("maxLength"));
        String description = String.valueOf(map(doc.get("info")).get("description"));
        assertTrue(description.contains(String.valueOf(settings.get("max-value-bytes"))), "value limit not stated");
        assertTrue(description.contains(String.valueOf(settings.get("max-request-bytes"))), "body limit not stated");
        assertEquals(LoadTestService.MAX_OPERATIONS, map(parameter(doc, "/test/load", "post", "num_operations")
                .get("schema")).get("maximum"));
    }

    /**
     * For every documented path, each documented method reaches a handler (no "no route" 404, no 405) and each
     * undocumented one is refused with the no-route 404 or a 405, so the document lists all methods a path serves.
     */
    @TestFactory
    Stream<DynamicTest> documentAndRoutingAgree() {
        Map<String, Object> paths = map(packagedDocument().get("paths"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            String concrete = concretePath(path.getKey());
            Map<String, Object> item = map(path.getValue());
            for (String method : METHODS) {
                boolean documented = item.containsKey(method.toLowerCase());
                tests.add(DynamicTest.dynamicTest(method + " " + path.getKey() + (documented ? " is served"
                        : " is refused"), () -> {
                    TestNode.Reply reply = request(method, concrete);
                    if (documented) {
                        if (path.getKey().equals("/console/")) {
                            assumeTrue(!noRoute(reply), "the web console is not packaged into this build");
                        }
                        assertFalse(noRoute(reply), "documented but not routed: " + reply.body());
                        assertNotEquals(405, reply.status(), "documented but refused: " + reply.body());
                        assertTrue(reply.status() < 500, reply.status() + " " + head(reply.body()));
                    } else {
                        assertTrue(noRoute(reply) || reply.status() == 405,
                                "served but not documented: " + reply.status() + " " + head(reply.body()));
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void docsPageLoadsSwaggerUiFromThisNode() {
        TestNode.Reply page = node.get("/docs");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        String html = page.body();
        assertFalse(html.contains("http://") || html.contains("https://"), "the page must not load anything remote");

        String bundle = find(html, "<script[^>]+src=\"(/webjars/swagger-ui/[^\"]+/swagger-ui-bundle\\.js)\"");
        String css = find(html, "<link[^>]+href=\"(/webjars/swagger-ui/[^\"]+/swagger-ui\\.css)\"");
        TestNode.Reply script = node.get(bundle);
        assertEquals(200, script.status(), bundle);
        assertTrue(script.contentType().contains("javascript"), script.contentType());
        assertTrue(script.body().contains("SwaggerUIBundle"), "not the Swagger UI bundle");
        TestNode.Reply style = node.get(css);
        assertEquals(200, style.status(), css);
        assertTrue(style.contentType().startsWith("text/css"), style.contentType());

        String specUrl = find(html, "url:\\s*\"([^\"]+)\"");
        TestNode.Reply spec = node.send(HttpRequest.newBuilder(node.uri(specUrl))
                .header("Accept", "application/json,*/*").GET());   // what Swagger UI sends
        assertEquals(200, spec.status(), specUrl);
        assertEquals(packagedDocument(), yaml(spec.body()), "the page must read this node's document");
    }

    // ---- helpers ----

    /** The document's operations as "METHOD path", a trailing slash dropped as the routing writes it (/console/). */
    private static Set<String> documentedRoutes(Map<String, Object> doc) {
        Set<String> routes = new TreeSet<>();
        map(doc.get("paths")).forEach((path, item) -> map(item).keySet().stream()
                .filter(method -> METHODS.contains(method.toUpperCase()))
                .forEach(method -> routes.add(method.toUpperCase() + " "
                        + (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path))));
        return routes;
    }

    /** What this node serves: its routing as {@link RoutingRecorder} reads it, and the features' own routes. */
    private static Set<String> servedRoutes() {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("CACHEGRID_PORT", String.valueOf(node.port()));
        CacheGridSettings settings = CacheGridSettings.resolve(Main.defaults(), env, Map.of());
        Set<String> served = new TreeSet<>(RoutingRecorder.routesOf(node.server(),
                Map.of(CacheGridSettings.class, settings, ApiLimits.class, ApiLimits.from(settings))));
        assertTrue(served.contains("GET /cluster"), "the node is not clustered: " + served);
        served.addAll(FEATURE_ROUTES);
        return served;
    }

    private static String concretePath(String template) {
        String path = template;
        for (Map.Entry<String, String> sample : PATH_SAMPLES.entrySet()) {
            path = path.replace(sample.getKey(), sample.getValue());
        }
        assertFalse(path.contains("{"), "no sample value for a parameter of " + template);
        return path;
    }

    private static TestNode.Reply request(String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path));
        if (method.equals("GET") || method.equals("DELETE")) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            // a well-formed body the handlers may still refuse (400): a refusal proves the route exists
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        return node.send(request);
    }

    /** The 404 that {@link ErrorResponses} gives for a path and method no service owns. */
    private static boolean noRoute(TestNode.Reply reply) {
        return reply.status() == 404 && reply.body().contains("\"no route for ");
    }

    private static boolean errorShaped(Map<String, Object> doc, Map<String, Object> response) {
        Map<String, Object> resolved = response.containsKey("$ref") ? map(pointer(doc, (String) response.get("$ref")))
                : response;
        Map<String, Object> json = map(map(resolved.get("content")).get("application/json"));
        return json != null && "#/components/schemas/Error".equals(map(json.get("schema")).get("$ref"));
    }

    private static boolean declaresPathParameter(Map<String, Object> doc, Map<String, Object> item,
                                                 Map<String, Object> operation, String name) {
        List<Object> declared = new ArrayList<>();
        declared.addAll(list(item.get("parameters")));
        declared.addAll(list(operation.get("parameters")));
        return declared.stream().map(p -> {
            Map<String, Object> parameter = map(p);
            return parameter.containsKey("$ref") ? map(pointer(doc, (String) parameter.get("$ref"))) : parameter;
        }).anyMatch(p -> "path".equals(p.get("in")) && name.equals(p.get("name")) && Boolean.TRUE.equals(p.get("required")));
    }

    private static Map<String, Object> parameter(Map<String, Object> doc, String path, String method, String name) {
        return list(map(map(map(doc.get("paths")).get(path)).get(method)).get("parameters")).stream()
                .map(OpenApiDocsTest::map)
                .filter(p -> name.equals(p.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " on " + method + " " + path));
    }

    private static void collectDanglingRefs(Map<String, Object> doc, Object node, String where, List<String> problems) {
        if (node instanceof Map<?, ?> m) {
            Object ref = m.get("$ref");
            if (ref instanceof String target && pointer(doc, target) == null) {
                problems.add(where + ": $ref " + target + " points nowhere");
            }
            m.forEach((k, v) -> collectDanglingRefs(doc, v, where + "/" + k, problems));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                collectDanglingRefs(doc, l.get(i), where + "/" + i, problems);
            }
        }
    }

    private static Object pointer(Map<String, Object> doc, String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        Object current = doc;
        for (String segment : ref.substring(2).split("/")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(segment.replace("~1", "/").replace("~0", "~"));
        }
        return current;
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "not found in the page: " + regex);
        return matcher.group(1);
    }

    private static Map<String, Object> packagedDocument() {
        return yaml(resource("META-INF/openapi.yaml"));
    }

    private static String resource(String name) {
        try (InputStream in = OpenApiDocsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertTrue(in != null, name + " missing from the class path");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> yaml(String text) {
        return map(new Yaml().load(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private static String head(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
