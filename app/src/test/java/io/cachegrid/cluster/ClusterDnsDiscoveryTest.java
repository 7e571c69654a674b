package io.cachegrid.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cachegrid.PortReservation;
import io.cachegrid.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DNS discovery as in Kubernetes: every member is given only a DNS name (here {@code localhost}, which the system
 * resolver answers with 127.0.0.1, as a headless Service answers with the pod IPs) and one cluster port; JGroups'
 * DNS_PING probes that port (and the few after it, since the members share one address here) on every address and
 * the members form one view. No peer list anywhere.
 */
class ClusterDnsDiscoveryTest {

    private static final int MEMBERS = 3;
    private static final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void start() {
        int clusterPort;
        try (PortReservation reserved = new PortReservation()) {
            clusterPort = reserved.port(); // free now; the members bind it and the next ones on 127.0.0.1
        }
        for (int i = 0; i < MEMBERS; i++) {
            nodes.add(TestNode.start(Map.of("CACHEGRID_DISCOVERY_DNS", "localhost",
                    "CACHEGRID_CLUSTER_PORT", String.valueOf(clusterPort), "CACHEGRID_NODE_ID", "dns-" + i,
                    "CACHEGRID_REPLICATION_FACTOR", "2", "CACHEGRID_MEMBERSHIP_INTERVAL", "0.25")));
        }
        for (TestNode node : nodes) {
            LocalCluster.await(() -> LocalCluster.membersUp(node) == MEMBERS,
                    () -> "one view from DNS discovery: " + node.get("/cluster").body());
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void membersFoundByDnsShareKeysWithRCopies() {
        for (int i = 0; i < 60; i++) {
            assertEquals(200, nodes.get(i % MEMBERS).put("/cache/dns-" + i, String.valueOf(i)).status());
        }
        for (int i = 0; i < 60; i++) {
            int copies = 0;
            for (TestNode node : nodes) {
                copies += node.server().engine().peek("dns-" + i) != null ? 1 : 0;
            }
            assertEquals(2, copies, "dns-" + i);
            assertEquals(String.valueOf(i), nodes.get((i + 1) % MEMBERS).get("/cache/dns-" + i).json()
                    .get("value").toString());
        }
    }
}
