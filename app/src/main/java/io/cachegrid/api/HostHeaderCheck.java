package io.cachegrid.api;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Why: HTTP/1.1 requires a 400 for a request without exactly one valid {@code Host} header (RFC 9112 section 3.2).
 * Helidon's own check ({@code validate-request-host-header}, off in application.yaml) allocates ~0.3 KB per request:
 * a value list, substrings and a regex {@code Matcher}. This one reads the header's characters in place: present
 * once, not empty, a host of RFC 3986 characters (reg-name, IPv4, or a bracketed IP literal) and an optional port
 * of digits. Like Helidon's, a refusal closes the connection.
 */
public final class HostHeaderCheck implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String problem = problem(req.headers().contains(HeaderNames.HOST) ? req.headers().get(HeaderNames.HOST) : null);
        if (problem != null) {
            // answered here, not thrown: the connection guard (the filter around this one) closes the connection
            // after an answer sent with Connection: close, which an exception would skip
            res.status(Status.BAD_REQUEST_400)
                    .header(HeaderValues.CONNECTION_CLOSE)
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .send(Json.errorBody("bad request", problem));
            return;
        }
        chain.proceed();
    }

    /** What is wrong with a request's Host header (null when absent), or null when it is fine. */
    static String problem(Header host) {
        if (host == null) {
            return "Host header must be present in the request";
        }
        if (host.valueCount() != 1) {
            return "Only a single Host header is allowed in request";
        }
        return problem(host.get());
    }

    /** What is wrong with a Host header's value, or null when it is a valid {@code host [":" port]}. */
    static String problem(String host) {
        if (host.isEmpty()) {
            return "Host header must not be empty";
        }
        int end; // end of the host part
        if (host.charAt(0) == '[') {
            end = host.indexOf(']');
            if (end < 2 || !allowed(host, 1, end, true)) {
                return "Invalid Host header: bad IP literal";
            }
            end++;
        } else {
            end = host.lastIndexOf(':');
            if (end < 0) {
                end = host.length();
            }
            if (!allowed(host, 0, end, false)) {
                return "Invalid Host header: bad host name";
            }
        }
        if (end == host.length()) {
            return null;
        }
        if (host.charAt(end) != ':' || end + 1 == host.length() || host.length() - end - 1 > 9) {
            return "Invalid port of the host header";
        }
        for (int i = end + 1; i < host.length(); i++) {
            if (host.charAt(i) < '0' || host.charAt(i) > '9') {
                return "Invalid port of the host header";
            }
        }
        return null;
    }

    /**
     * Whether {@code text[from, to)} holds only RFC 3986 reg-name characters (unreserved, sub-delims, %XX escapes),
     * plus {@code :} inside an IP literal (IPv6 and IPvFuture use unreserved characters and colons only).
     */
    private static boolean allowed(String text, int from, int to, boolean literal) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=".indexOf(c) >= 0 || (literal && c == ':');
            if (!ok && c == '%' && !literal && i + 2 < to && hex(text.charAt(i + 1)) && hex(text.charAt(i + 2))) {
                i += 2;
                ok = true;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
