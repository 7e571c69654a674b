package io.cachegrid.security;

import java.util.Map;

import io.cachegrid.TestNode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /auth/role}: each role's answer, no or a wrong token, and the answer with access control off. */
class AuthRoleTest {

    @Test
    void eachTokenLearnsItsRoleAndWhatItAllows() {
        try (TestNode node = TestNode.start(Map.of("CACHEGRID_AUTH_TOKENS", AuthClient.TOKENS,
                "CACHEGRID_AUTH_FAILURE_LIMIT", "100000"))) {
            assertRole(AuthClient.get(node, "/auth/role", AuthClient.READ), true, "read", false, false);
            assertRole(AuthClient.get(node, "/auth/role", AuthClient.WRITE), true, "write", true, false);
            assertRole(AuthClient.get(node, "/auth/role", AuthClient.ADMIN), true, "admin", true, true);

            TestNode.Reply none = AuthClient.get(node, "/auth/role", null);
            assertEquals("unauthorized", none.error(401).getString("error"));
            assertEquals("Bearer realm=\"cachegrid\"", none.header("WWW-Authenticate"));
            String wrong = "wrong-" + AuthClient.ADMIN;
            TestNode.Reply refused = AuthClient.get(node, "/auth/role", wrong);
            refused.error(401);
            assertFalse(refused.body().contains(wrong), "a token is never echoed");
            // other methods on the path are the admin default, and are not routed
            assertEquals(403, AuthClient.send(node, "POST", "/auth/role", "{}", AuthClient.WRITE).status());
        }
    }

    @Test
    void withAccessControlOffEveryoneIsAdmin() {
        try (TestNode node = TestNode.start()) {
            assertRole(AuthClient.get(node, "/auth/role", null), false, "admin", true, true);
        }
    }

    private static void assertRole(TestNode.Reply reply, boolean auth, String role, boolean write, boolean admin) {
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        assertEquals("no-store", reply.header("Cache-Control"));
        JsonObject json = reply.json();
        assertEquals(auth, json.getBoolean("auth"));
        assertEquals(role, json.getString("role"));
        JsonObject allows = json.getJsonObject("allows");
        assertEquals(Map.of("read", true, "write", write, "admin", admin), Map.of("read", allows.getBoolean("read"),
                "write", allows.getBoolean("write"), "admin", allows.getBoolean("admin")));
    }
}
