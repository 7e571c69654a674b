package io.cachegrid.api;

import java.util.Optional;

import io.helidon.http.HttpPrologue;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Why: the server matches routes against the decoded path, so {@code /cache/batch%2Fget} (the key {@code batch/get},
 * percent-encoded as the contract asks) reached the batch routes and got a 405, and that key could be neither read
 * nor written. The routes of a service registered through {@link #literalOnly} match only a path written without
 * %-escapes; an escaped path falls through to the services after it ({@link CacheService}, which reads the key from
 * the raw path).
 */
public final class LiteralPathRules implements HttpRules {

    private final HttpRules delegate;

    private LiteralPathRules(HttpRules delegate) {
        this.delegate = delegate;
    }

    /** {@code service} with every route limited to paths that hold no %-escape. */
    public static HttpService literalOnly(HttpService service) {
        return rules -> service.routing(new LiteralPathRules(rules));
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        HttpService[] wrapped = new HttpService[services.length];
        for (int i = 0; i < services.length; i++) {
            wrapped[i] = literalOnly(services[i]);
        }
        delegate.register(pathPattern, wrapped);
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        delegate.route(new LiteralRoute(route));
        return this;
    }

    /** True when the whole raw request path (not only the part a nested service sees) has a %-escape. */
    private static boolean escaped(HttpPrologue prologue) {
        return prologue.uriPath().absolute().rawPath().indexOf('%') >= 0;
    }

    private record LiteralRoute(HttpRoute route) implements HttpRoute {

        @Override
        public PathMatchers.MatchResult accepts(HttpPrologue prologue) {
            return escaped(prologue) ? PathMatchers.MatchResult.notAccepted() : route.accepts(prologue);
        }

        @Override
        public PathMatchers.MatchResult accepts(HttpPrologue prologue, ServerRequestHeaders headers) {
            return escaped(prologue) ? PathMatchers.MatchResult.notAccepted() : route.accepts(prologue, headers);
        }

        @Override
        public Handler handler() {
            return route.handler();
        }

        @Override
        public Optional<PathMatcher> pathMatcher() {
            return route.pathMatcher();
        }

        @Override
        public void beforeStart() {
            route.beforeStart();
        }

        @Override
        public void afterStart(WebServer webServer) {
            route.afterStart(webServer);
        }

        @Override
        public void afterStop() {
            route.afterStop();
        }
    }
}
