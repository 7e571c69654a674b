package io.cachegrid.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cachegrid.Main;
import io.cachegrid.cluster.ClusterSettings;
import io.cachegrid.cluster.NodeAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster rows of the settings table: off by default, parsed and refused like the others. */
class ClusterSettingsTest {

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
                "CACHEGRID_ANTI_ENTROPY_INTERVAL", "2.5"));
        assertTrue(s.enabled());
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
        ClusterSettings s = cluster(Map.of("CACHEGRID_DISCOVERY_DNS", "cachegrid-headless.default.svc.cluster.local"));
        assertTrue(s.enabled());
        assertEquals("cachegrid-headless.default.svc.cluster.local", s.discoveryDns());
        assertEquals(List.of(), s.peers());
    }

    @Test
    void systemPropertiesSetThemToo() {
        ClusterSettings s = CacheGridSettings.resolve(Main.defaults(), Map.of(),
                Map.of("cachegrid.peers", "a:1,b:2", "cachegrid.replication-factor", "1")).cluster();
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
            "CACHEGRID_ANTI_ENTROPY_INTERVAL|0|seconds > 0",
            "CACHEGRID_ANTI_ENTROPY_INTERVAL|90000|<= 86400"})
    void badValueStopsTheStartNamingTheVariableAndTheAcceptedValues(String variable, String value, String accepted) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> cluster(Map.of(variable, value)));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
        assertTrue(e.getMessage().contains(accepted), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
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
                "CACHEGRID_MEMBERSHIP_INTERVAL")));
    }
}
