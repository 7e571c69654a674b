package io.cachegrid.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * Plugs access control, TLS and CORS into a node: {@link #configure} sets the listener's TLS, {@link #install} adds
 * the CORS and token filters in front of every route (before the cluster's routing filter, so a forwarded request
 * was checked once, at the node the client called). With {@link SecuritySettings#off()} neither adds anything.
 * Failed authentications are published as {@code cachegrid_auth_failures_total{reason=...}}.
 */
public final class Security implements AutoCloseable {

    private final SecuritySettings settings;
    private final MeterRegistry registry;
    private final AuthFilter auth;
    private final List<Meter> meters = new ArrayList<>();

    private Security(SecuritySettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.auth = settings.authEnabled()
                ? new AuthFilter(settings.tokens(), new FailureLimiter(settings.failuresPerMinute(), System::nanoTime))
                : null;
        if (auth != null) {
            counter("missing", auth.missing);
            counter("invalid", auth.invalid);
            counter("forbidden", auth.forbidden);
            counter("rate_limited", auth.limited);
        }
    }

    public static Security create(SecuritySettings settings, MeterRegistry registry) {
        return new Security(settings, registry);
    }

    /** Sets TLS on the server's default listener when configured. */
    public void configure(WebServerConfig.Builder server) {
        settings.tls().ifPresent(server::tls);
    }

    /** Adds the CORS filter (when origins are listed) and the token filter (when tokens are configured). */
    public void install(HttpRouting.Builder routing) {
        if (!settings.corsOrigins().isEmpty()) {
            routing.addFilter(new CorsFilter(settings.corsOrigins()));
        }
        if (auth != null) {
            routing.addFilter(auth);
        }
    }

    /** {@code GET /auth/role}: what the caller's token may do (everything when access control is off). */
    public RoleService roleService() {
        return new RoleService(settings.authEnabled());
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void counter(String reason, LongAdder adder) {
        meters.add(registry.getOrCreate(FunctionalCounter.builder("cachegrid.auth.failures", adder, LongAdder::sum)
                .tags(List.of(Tag.create("reason", reason)))
                .description("Requests refused by access control; reason: missing (no token), invalid (unknown"
                        + " token), forbidden (role too low), rate_limited (429 after too many failures)")));
    }
}
