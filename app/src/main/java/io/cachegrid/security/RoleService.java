package io.cachegrid.security;

import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /auth/role}: the role of the caller's token and what it allows, so a client (the console) can tell the
 * user beforehand instead of after a 403. Needs any valid token ({@link Role#READ}); with access control off it
 * answers {@code auth: false} and role {@code admin}, since then every route is open. The token itself is never
 * repeated.
 */
public final class RoleService implements HttpService {

    private final boolean authEnabled;

    RoleService(boolean authEnabled) {
        this.authEnabled = authEnabled;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/role", this::role);
    }

    private void role(ServerRequest req, ServerResponse res) {
        // with access control on, AuthFilter let the request through and left the token's role in the context
        Role role = authEnabled ? req.context().get(AuthFilter.CALLER, Role.class).orElse(Role.READ) : Role.ADMIN;
        byte[] body = new JsonWriter().beginObject()
                .name("auth").value(authEnabled)
                .name("role").value(role.configName())
                .name("allows").beginObject()
                .name("read").value(role.allows(Role.READ))
                .name("write").value(role.allows(Role.WRITE))
                .name("admin").value(role.allows(Role.ADMIN))
                .endObject()
                .endObject().toByteArray();
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }
}
