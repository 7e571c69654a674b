package io.cachegrid.security;

import java.net.http.HttpRequest;

import io.cachegrid.TestNode;

/** Requests to a {@link TestNode} with or without a bearer token. Shared by the Auth* tests. */
final class AuthClient {

    static final String READ = "read-token-0123456789abcdef";
    static final String WRITE = "write-token-0123456789abcdef";
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String TOKENS = "read:" + READ + ", write:" + WRITE + ",admin:" + ADMIN;

    private AuthClient() {
    }

    /** Sends {@code method path} with an optional JSON body and an optional token (null: no Authorization). */
    static TestNode.Reply send(TestNode node, String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return node.send(request);
    }

    static TestNode.Reply get(TestNode node, String path, String token) {
        return send(node, "GET", path, null, token);
    }
}
