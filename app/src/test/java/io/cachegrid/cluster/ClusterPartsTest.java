package io.cachegrid.cluster;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small parts: key paths, finding oneself in the member list, DNS discovery, views. */
class ClusterPartsTest {

    @Test
    void keysSurviveTheTripThroughAPath() {
        for (String key : List.of("plain", "a/b c?d", "50%#x", ".", "..", "ключ", "emoji-😀", "+plus", "~_-")) {
            String encoded = KeyPaths.encode(key);
            assertTrue(encoded.chars().allMatch(c -> Character.isLetterOrDigit(c) || "%-_~".indexOf(c) >= 0), encoded);
            assertEquals(Optional.of(key), KeyPaths.decode("/cache/" + encoded, "/cache/"));
        }
        assertEquals(Optional.of("a+b"), KeyPaths.decode("/cache/a+b", "/cache/"), "+ stays a plus in a path");
        assertEquals(Optional.empty(), KeyPaths.decode("/cache/%zz", "/cache/"));
        assertEquals(Optional.empty(), KeyPaths.decode("/cache/%C3", "/cache/"), "truncated UTF-8");
    }

    @Test
    void aNodeFindsItselfInThePeerListByPortAndLocalAddress() {
        ClusterSettings settings = new ClusterSettings(List.of(NodeAddress.parse("127.0.0.1:7001"),
                NodeAddress.parse("localhost:7002"), NodeAddress.parse("10.255.255.1:7001")), "",
                Optional.empty(), 2, 2);
        SelfAddress self = SelfAddress.resolve(settings, "0.0.0.0", 7002);
        assertEquals(NodeAddress.parse("localhost:7002"), self.address(), "the peers' name for us is our name");
        assertFalse(self.is(NodeAddress.parse("127.0.0.1:7001")));
        assertTrue(self.is(NodeAddress.parse("127.0.0.1:7002")));
        assertEquals(List.of(NodeAddress.parse("10.255.255.1:7001"), NodeAddress.parse("127.0.0.1:7001"),
                NodeAddress.parse("localhost:7002")), self.normalise(settings.peers()));
    }

    @Test
    void anAdvertisedAddressWinsAndIsAlwaysAMember() {
        ClusterSettings settings = new ClusterSettings(List.of(NodeAddress.parse("cachegrid-2:8080")), "",
                Optional.of(NodeAddress.parse("cachegrid-1:8080")), 2, 2);
        SelfAddress self = SelfAddress.resolve(settings, "0.0.0.0", 8080);
        assertEquals(NodeAddress.parse("cachegrid-1:8080"), self.address());
        assertTrue(self.normalise(settings.peers()).contains(self.address()));
    }

    @Test
    void aViewRingsOnlyLiveMembersAndAlwaysItself() {
        NodeAddress a = NodeAddress.parse("a:1");
        NodeAddress b = NodeAddress.parse("b:1");
        NodeAddress c = NodeAddress.parse("c:1");
        ClusterView view = ClusterView.of(a, java.util.Map.of(b, true, c, false), 2, 64);
        assertEquals(List.of(a, b), view.live());
        for (int i = 0; i < 100; i++) {
            assertFalse(view.owners("k" + i).contains(c));
            assertEquals(a, view.ownersSelfFirst("k" + i).get(0));
        }
        assertEquals(7, ClusterView.of(a, java.util.Map.of(b, true), 2, 64, 7).viewId());
    }

    @Test
    void withoutClusterSettingsANodeHasNoClusterRoutes() {
        try (io.cachegrid.TestNode node = io.cachegrid.TestNode.start()) {
            assertEquals(404, node.get("/cluster").status());
            assertEquals(200, node.put("/cache/k", "1").status());
            assertEquals(1, node.server().engine().size());
        }
    }
}
