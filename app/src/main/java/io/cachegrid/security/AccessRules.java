package io.cachegrid.security;

import java.util.List;

import io.helidon.http.Method;

/**
 * The one table that decides which role each route needs: method + path → {@link Role}, first match wins, and
 * anything the table does not name needs {@link Role#ADMIN}. A route added to the server later is therefore closed
 * to everyone but admins until a rule here opens it; {@code AuthRoutesTest} walks every route of the OpenAPI
 * document against this table.
 * <p>
 * Public on purpose: the probes ({@code /health}, which the image's HEALTHCHECK calls, and {@code /observe/health*}:
 * a kubelet or Docker cannot send a token), and the pages a browser must load before it can ask for a token (the
 * console's static files, {@code /webjars}, {@code /docs}, the {@code /openapi} document it renders and the
 * {@code /favicon.ico} every browser asks for). They hold
 * no cache data: the console and Swagger UI send the token with each API call they make.
 * <p>
 * A path is judged twice, as sent (percent-encoded) and decoded, and the stricter answer wins, so no spelling of a
 * path ({@code /console/..%2Fcache}, {@code /cache/} for {@code /cache}) can borrow a weaker route's rule.
 */
final class AccessRules {

    /** Rules in order. "exact" matches the path with or without one trailing slash. */
    private static final List<Rule> RULES = List.of(
            // probes and browser-loaded pages: no token
            Rule.exact(Method.GET, "/health", Role.PUBLIC),
            Rule.tree(Method.GET, "/observe/health", Role.PUBLIC),
            Rule.tree(Method.GET, "/console", Role.PUBLIC),
            Rule.tree(Method.GET, "/webjars", Role.PUBLIC),
            Rule.tree(Method.GET, "/docs", Role.PUBLIC),
            Rule.exact(Method.GET, "/openapi", Role.PUBLIC),
            Rule.exact(Method.GET, "/favicon.ico", Role.PUBLIC),
            // read
            Rule.exact(Method.GET, "/", Role.READ),
            Rule.exact(Method.GET, "/stats", Role.READ),
            Rule.exact(Method.GET, "/auth/role", Role.READ),
            Rule.exact(Method.GET, "/metrics", Role.READ),
            Rule.tree(Method.GET, "/observe/metrics", Role.READ),
            Rule.below(Method.GET, "/cache/", Role.READ),
            Rule.exact(Method.POST, "/cache/batch/get", Role.READ),
            Rule.below(Method.GET, "/tags/", Role.READ),
            // write
            Rule.exact(Method.POST, "/cache", Role.WRITE),
            Rule.exact(Method.POST, "/cache/batch/set", Role.WRITE),
            Rule.below(Method.PUT, "/cache/", Role.WRITE),
            Rule.below(Method.DELETE, "/cache/", Role.WRITE),
            Rule.counter(Method.POST, "/cache/", "/incr", Role.WRITE),
            Rule.counter(Method.POST, "/cache/", "/decr", Role.WRITE)
            // admin: everything else, e.g. DELETE /cache (clear), /admin/*, /test/load*, /cluster*, tag invalidation
            // (DELETE /tags/{tag})
    );

    private AccessRules() {
    }

    /**
     * The role a request needs.
     *
     * @param method      the request method (HEAD and OPTIONS are judged as GET)
     * @param rawPath     the path as sent, percent-encoded
     * @param decodedPath the path as routing sees it
     * @param internal    whether it carries the cluster's internal header, which skips routing: admin only
     */
    static Role required(Method method, String rawPath, String decodedPath, boolean internal) {
        if (internal) {
            return Role.ADMIN;
        }
        Method judged = method == Method.HEAD || method == Method.OPTIONS ? Method.GET : method;
        Role raw = lookup(judged, rawPath);
        Role decoded = lookup(judged, decodedPath);
        return raw.compareTo(decoded) >= 0 ? raw : decoded;
    }

    private static Role lookup(Method method, String path) {
        for (Rule rule : RULES) {
            if (rule.matches(method, path)) {
                return rule.role();
            }
        }
        return Role.ADMIN;
    }

    /**
     * kind: 0 exact (one trailing slash allowed), 1 the path and everything under it, 2 strictly below a prefix,
     * 3 below a prefix with something between it and {@code suffix} (a key's counter: /cache/{key}/incr).
     */
    private record Rule(Method method, String path, int kind, Role role, String suffix) {

        Rule(Method method, String path, int kind, Role role) {
            this(method, path, kind, role, "");
        }

        static Rule counter(Method method, String prefix, String suffix, Role role) {
            return new Rule(method, prefix, 3, role, suffix);
        }

        static Rule exact(Method method, String path, Role role) {
            return new Rule(method, path, 0, role);
        }

        static Rule tree(Method method, String path, Role role) {
            return new Rule(method, path, 1, role);
        }

        static Rule below(Method method, String prefix, Role role) {
            return new Rule(method, prefix, 2, role);
        }

        boolean matches(Method m, String p) {
            if (!method.equals(m)) {
                return false;
            }
            return switch (kind) {
                case 0 -> p.equals(path) || p.equals(path + "/");
                case 1 -> p.equals(path) || p.startsWith(path + "/");
                case 3 -> p.length() > path.length() + suffix.length() && p.startsWith(path) && p.endsWith(suffix);
                default -> p.length() > path.length() && p.startsWith(path);
            };
        }
    }
}
