package io.cachegrid.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cachegrid.Main;
import io.cachegrid.cluster.ClusterSettings;
import io.cachegrid.cluster.NodeAddress;
import io.cachegrid.cluster.WriteAcks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster rows of the settings table: off by default, parsed and refused like the others. */
class ClusterSettingsTest {

    private static final String SECRET = "a cluster secret, long enough";

    private static ClusterSettings cluster(Map<String, String> env) {
        return CacheGridSettings.resolve(Main.defaults(), env, Map.of()).cluster();
    }

    @Test
    void clusteringIsOffByDefault() {
        ClusterSettings s = cluster(Map.of());
        assertFalse(s.enabled());
        assertEquals(List.of(), s.peers());
        assertEquals("", s.discoveryDns());
        assertEquals(Optional.empty(), s.advertise());
        assertEquals(2, s.replicationFactor());
        assertEquals(2.0, s.membershipIntervalSeconds());
        assertEquals(300.0, s.tombstoneSeconds());
        assertEquals(0, s.clusterPort());
        assertEquals(5.0, s.failureTimeoutSeconds());
        assertEquals(Optional.empty(), s.secret());
        assertEquals(30.0, s.antiEntropyIntervalSeconds());
    }

    @Test
    void aPeerListSwitchesItOn() {
        ClusterSettings s = cluster(Map.of(
                "CACHEGRID_PEERS", " cachegrid-1:8080, cachegrid-2:8080 ,10.0.0.3:9000,[::1]:8080,",
                "CACHEGRID_ADVERTISE", "cachegrid-1:8080",
                "CACHEGRID_REPLICATION_FACTOR", "3",
                "CACHEGRID_MEMBERSHIP_INTERVAL", "0.5",
                "CACHEGRID_TOMBSTONE_SECONDS", "60.5",
                "CACHEGRID_CLUSTER_SECRET", SECRET,
                "CACHEGRID_CLUSTER_PORT", "7800",
                "CACHEGRID_FAILURE_TIMEOUT", "2.5",
                "CACHEGRID_ANTI_ENTROPY_INTERVAL", "2.5"));
        assertTrue(s.enabled());
        assertFalse(s.loopbackOnly());
        assertTrue(s.secret().isPresent());
        assertFalse(s.toString().contains(SECRET), "the secret is never printed: " + s);
        assertEquals(7800, s.clusterPort());
        assertEquals(2500, s.failureTimeoutMillis());
        assertEquals(List.of(new NodeAddress("cachegrid-1", 8080), new NodeAddress("cachegrid-2", 8080),
                new NodeAddress("10.0.0.3", 9000), new NodeAddress("::1", 8080)), s.peers());
        assertEquals("[::1]:8080", s.peers().get(3).toString());
        assertEquals(Optional.of(new NodeAddress("cachegrid-1", 8080)), s.advertise());
        assertEquals(3, s.replicationFactor());
        assertEquals(0.5, s.membershipIntervalSeconds());
        assertEquals(60_500_000_000L, s.tombstoneNanos());
        assertEquals(2.5, s.antiEntropyIntervalSeconds());
    }

    @Test
    void aDiscoveryNameSwitchesItOn() {
        ClusterSettings s = cluster(Map.of("CACHEGRID_DISCOVERY_DNS", "cachegrid-headless.default.svc.cluster.local",
                "CACHEGRID_CLUSTER_SECRET", SECRET));
        assertTrue(s.enabled());
        assertEquals("cachegrid-headless.default.svc.cluster.local", s.discoveryDns());
        assertEquals(List.of(), s.peers());
    }

    @Test
    void systemPropertiesSetThemToo() {
        ClusterSettings s = CacheGridSettings.resolve(Main.defaults(), Map.of(),
                Map.of("cachegrid.peers", "a:1,b:2", "cachegrid.replication-factor", "1",
                        "cachegrid.cluster-secret", SECRET)).cluster();
        assertEquals(2, s.peers().size());
        assertEquals(1, s.replicationFactor());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CACHEGRID_PEERS|cachegrid-1|host:port",
            "CACHEGRID_PEERS|cachegrid-1:8080,cachegrid-2|host:port",
            "CACHEGRID_PEERS|a:0|host:port",
            "CACHEGRID_PEERS|a:70000|host:port",
            "CACHEGRID_PEERS|a b:80|host:port",
            "CACHEGRID_PEERS|::1:8080|host:port",
            "CACHEGRID_DISCOVERY_DNS|not a name|DNS name",
            "CACHEGRID_DISCOVERY_DNS|-bad.example|DNS name",
            "CACHEGRID_ADVERTISE|10.0.0.1|host:port",
            "CACHEGRID_REPLICATION_FACTOR|0|1..16",
            "CACHEGRID_REPLICATION_FACTOR|two|1..16",
            "CACHEGRID_MEMBERSHIP_INTERVAL|0|seconds > 0",
            "CACHEGRID_MEMBERSHIP_INTERVAL|7200|<= 3600",
            "CACHEGRID_TOMBSTONE_SECONDS|0|seconds > 0",
            "CACHEGRID_TOMBSTONE_SECONDS|100000|<= 86400",
            "CACHEGRID_WRITE_ACKS|two|one, quorum, all",
            "CACHEGRID_WRITE_ACKS|''|one, quorum, all",
            "CACHEGRID_REPLICATION_TIMEOUT_SECONDS|0.01|>= 0.05",
            "CACHEGRID_REPLICATION_TIMEOUT_SECONDS|61|<= 60",
            "CACHEGRID_CLUSTER_PORT|70000|0 (derived",
            "CACHEGRID_CLUSTER_PORT|-1|0 (derived",
            "CACHEGRID_FAILURE_TIMEOUT|0.5|1..300",
            "CACHEGRID_FAILURE_TIMEOUT|301|1..300",
            "CACHEGRID_FAILURE_TIMEOUT|soon|1..300",
            "CACHEGRID_ANTI_ENTROPY_INTERVAL|0|seconds > 0",
            "CACHEGRID_ANTI_ENTROPY_INTERVAL|90000|<= 86400"})
    void badValueStopsTheStartNamingTheVariableAndTheAcceptedValues(String variable, String value, String accepted) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> cluster(Map.of(variable, value)));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
        assertTrue(e.getMessage().contains(accepted), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void writesWaitForAQuorumAndForwardingOutlastsReplication() {
        ClusterSettings defaults = cluster(Map.of());
        assertEquals(WriteAcks.QUORUM, defaults.writeAcks());
        assertEquals(Duration.ofSeconds(2), defaults.replicationTimeout());
        ClusterSettings set = cluster(Map.of("CACHEGRID_WRITE_ACKS", " ALL ",
                "CACHEGRID_REPLICATION_TIMEOUT_SECONDS", "0.5"));
        assertEquals(WriteAcks.ALL, set.writeAcks());
        assertEquals(Duration.ofMillis(500), set.replicationTimeout());
        assertEquals(WriteAcks.ONE, cluster(Map.of("CACHEGRID_WRITE_ACKS", "one")).writeAcks());
        for (ClusterSettings s : List.of(defaults, set)) {
            // an owner waiting on a stalled replica answers before the member that forwarded to it gives up
            assertTrue(s.forwardTimeout().compareTo(s.replicationTimeout().plusSeconds(1)) > 0, s.toString());
        }
    }

    @Test
    void theCopiesNeededAreCountedOverTheOwnersInTheView() {
        assertEquals(List.of(1, 1, 1), List.of(WriteAcks.ONE.required(1), WriteAcks.ONE.required(2),
                WriteAcks.ONE.required(3)));
        assertEquals(List.of(1, 2, 2, 3), List.of(WriteAcks.QUORUM.required(1), WriteAcks.QUORUM.required(2),
                WriteAcks.QUORUM.required(3), WriteAcks.QUORUM.required(4)));
        assertEquals(List.of(1, 2, 3), List.of(WriteAcks.ALL.required(1), WriteAcks.ALL.required(2),
                WriteAcks.ALL.required(3)));
    }

    @Test
    void aClusterReachedOverTheNetworkNeedsASecret() {
        for (Map<String, String> env : List.of(Map.of("CACHEGRID_PEERS", "cachegrid-1:8080,cachegrid-2:8080"),
                Map.of("CACHEGRID_PEERS", "127.0.0.1:8081,10.0.0.2:8081"),
                Map.of("CACHEGRID_PEERS", "127.0.0.1:8081", "CACHEGRID_ADVERTISE", "10.0.0.1:8081"),
                Map.of("CACHEGRID_DISCOVERY_DNS", "cachegrid-headless.default.svc.cluster.local"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> cluster(env));
            assertTrue(e.getMessage().startsWith("CACHEGRID_CLUSTER_SECRET is not set"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        // a loopback-only cluster needs none (member requests are then accepted from loopback only)
        ClusterSettings loopback = cluster(Map.of("CACHEGRID_PEERS", "127.0.0.1:8081,localhost:8082,[::1]:8083"));
        assertTrue(loopback.loopbackOnly());
        assertEquals(Optional.empty(), loopback.secret());
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> cluster(Map.of(
                "CACHEGRID_PEERS", "127.0.0.1:8081", "CACHEGRID_CLUSTER_SECRET", "hunter2")));
        assertTrue(e.getMessage().contains("CACHEGRID_CLUSTER_SECRET") && e.getMessage().contains("at least 16"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void peersAndDiscoveryTogetherAreRefused() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> cluster(Map.of(
                "CACHEGRID_PEERS", "a:1", "CACHEGRID_DISCOVERY_DNS", "cachegrid-headless")));
        assertTrue(e.getMessage().contains("CACHEGRID_PEERS") && e.getMessage().contains("CACHEGRID_DISCOVERY_DNS"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void everyClusterVariableIsInTheTable() {
        assertTrue(CacheGridSettings.environmentNames().containsAll(List.of("CACHEGRID_PEERS",
                "CACHEGRID_DISCOVERY_DNS", "CACHEGRID_ADVERTISE", "CACHEGRID_REPLICATION_FACTOR",
                "CACHEGRID_MEMBERSHIP_INTERVAL", "CACHEGRID_WRITE_ACKS", "CACHEGRID_REPLICATION_TIMEOUT_SECONDS",
                "CACHEGRID_CLUSTER_PORT", "CACHEGRID_FAILURE_TIMEOUT",
                "CACHEGRID_CLUSTER_SECRET")));
    }
}
