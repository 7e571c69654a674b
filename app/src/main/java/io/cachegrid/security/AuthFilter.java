package io.cachegrid.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import io.cachegrid.json.JsonWriter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Bearer-token check in front of every route: the role a route needs comes from {@link AccessRules}, the role of
 * the presented token from {@link AuthTokens}. No or an unknown token: 401 with {@code WWW-Authenticate} (or 429
 * once the address has failed too often, see {@link FailureLimiter}); a known token of a lower role: 403. Errors
 * are the usual JSON {@code {"error", "detail"}} and never repeat the token.
 */
final class AuthFilter implements Filter {

    /** The cluster's internal header (io.cachegrid.cluster.Internal): it skips routing, so admin only. */
    static final HeaderName INTERNAL = HeaderNames.create("X-CacheGrid-Internal");

    /** Context classifier of the role of the request's token, once the filter has let it through. */
    static final String CALLER = "io.cachegrid.security.caller-role";

    static final String CHALLENGE = "Bearer realm=\"cachegrid\"";

    private static final String BEARER = "bearer ";

    private final AuthTokens tokens;
    private final FailureLimiter limiter;
    final LongAdder missing = new LongAdder();
    final LongAdder invalid = new LongAdder();
    final LongAdder forbidden = new LongAdder();
    final LongAdder limited = new LongAdder();

    AuthFilter(AuthTokens tokens, FailureLimiter limiter) {
        this.tokens = tokens;
        this.limiter = limiter;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Role needed = AccessRules.required(req.prologue().method(), req.path().absolute().rawPath(),
                req.path().absolute().path(), req.headers().contains(INTERNAL));
        if (needed == Role.PUBLIC) {
            chain.proceed();
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        Optional<Role> role = header.flatMap(AuthFilter::bearerToken).flatMap(tokens::roleOf);
        if (role.isEmpty()) {
            (header.isEmpty() ? missing : invalid).increment();
            long retryAfter = limiter.failure(clientAddress(req));
            if (retryAfter > 0) {
                limited.increment();
                res.header(HeaderNames.RETRY_AFTER, String.valueOf(retryAfter));
                refuse(res, Status.TOO_MANY_REQUESTS_429, "too many requests", "too many failed authentications "
                        + "from this address; retry after " + retryAfter + " s with a valid bearer token");
                return;
            }
            res.header(HeaderNames.WWW_AUTHENTICATE, header.isEmpty() ? CHALLENGE
                    : CHALLENGE + ", error=\"invalid_token\"");
            refuse(res, Status.UNAUTHORIZED_401, "unauthorized", header.isEmpty()
                    ? "this route needs a token: send Authorization: Bearer <token> (see README, Security)"
                    : "the bearer token is not valid; send Authorization: Bearer <token> with a configured token");
            return;
        }
        if (!role.get().allows(needed)) {
            forbidden.increment();
            refuse(res, Status.FORBIDDEN_403, "forbidden", req.prologue().method().text() + " "
                    + req.path().absolute().path() + " needs the " + needed.configName() + " role; this token has "
                    + role.get().configName());
            return;
        }
        req.context().register(CALLER, role.get()); // for GET /auth/role (RoleService)
        chain.proceed();
    }

    /** The token of an {@code Authorization: Bearer <token>} header; the scheme name is case-insensitive. */
    static Optional<String> bearerToken(String header) {
        if (header.length() > BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.of(header.substring(BEARER.length()).strip());
        }
        return Optional.empty();
    }

    private static InetAddress clientAddress(RoutingRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    private static void refuse(RoutingResponse res, Status status, String error, String detail) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(new JsonWriter().beginObject().name("error").value(error).name("detail").value(detail)
                .endObject().toByteArray());
    }
}
