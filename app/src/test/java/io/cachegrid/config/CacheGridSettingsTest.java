package io.cachegrid.config;

import java.util.Map;
import java.util.logging.Level;

import io.cachegrid.Main;
import io.cachegrid.engine.EvictionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table from the seed's {@code CACHEGRID_*} variables to settings, with defaults, precedence and refusals. */
class CacheGridSettingsTest {

    private static CacheGridSettings resolve(Map<String, String> env, Map<String, String> properties) {
        return CacheGridSettings.resolve(Main.defaults(), env, properties);
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        CacheGridSettings s = resolve(Map.of(), Map.of());
        assertEquals("node-1", s.nodeId());
        assertEquals("0.0.0.0", s.host());
        assertEquals(8080, s.port());
        assertEquals(10_000, s.maxSize());
        assertEquals(512, s.maxMemoryMb());
        assertEquals(60.0, s.cleanupIntervalSeconds());
        assertEquals(EvictionPolicy.LRU, s.evictionPolicy());
        assertEquals(8 * 1024 * 1024, s.maxValueBytes());
        assertEquals(250, s.maxKeyLength());
        assertEquals(1000, s.maxBatchSize());
        assertEquals(Level.INFO, s.logLevel());
    }

    @Test
    void everySeedVariableOverridesItsDefault() {
        CacheGridSettings s = resolve(Map.ofEntries(
                Map.entry("CACHEGRID_NODE_ID", "node-7"),
                Map.entry("CACHEGRID_MAX_SIZE", "20000"),
                Map.entry("CACHEGRID_MAX_MEMORY_MB", "1024"),
                Map.entry("CACHEGRID_CLEANUP_INTERVAL", "0.5"),
                Map.entry("CACHEGRID_HOST", "127.0.0.1"),
                Map.entry("CACHEGRID_PORT", "9090"),
                Map.entry("CACHEGRID_LOG_LEVEL", "debug"),
                Map.entry("CACHEGRID_EVICTION_POLICY", "TinyLFU"),
                Map.entry("CACHEGRID_MAX_VALUE_BYTES", "1000"),
                Map.entry("CACHEGRID_MAX_KEY_LENGTH", "64"),
                Map.entry("CACHEGRID_MAX_BATCH_SIZE", "10"),
                Map.entry("CACHEGRID_MAX_REQUEST_BYTES", "4096")), Map.of());
        assertEquals("node-7", s.nodeId());
        assertEquals(20_000, s.maxSize());
        assertEquals(1024, s.maxMemoryMb());
        assertEquals(0.5, s.cleanupIntervalSeconds());
        assertEquals("127.0.0.1", s.host());
        assertEquals(9090, s.port());
        assertEquals(Level.FINE, s.logLevel());
        assertEquals(EvictionPolicy.TINYLFU, s.evictionPolicy());
        assertEquals(1000, s.maxValueBytes());
        assertEquals(64, s.maxKeyLength());
        assertEquals(10, s.maxBatchSize());
        assertEquals(4096, s.maxRequestBytes());
    }

    @Test
    void tagLimitsHaveDefaultsAndAreSetByTheirVariables() {
        CacheGridSettings defaults = resolve(Map.of(), Map.of());
        assertEquals(16, defaults.maxTagsPerKey());
        assertEquals(64, defaults.maxTagLength());
        CacheGridSettings set = resolve(Map.of("CACHEGRID_MAX_TAGS_PER_KEY", "0", "CACHEGRID_MAX_TAG_LENGTH", "255"),
                Map.of());
        assertEquals(0, set.maxTagsPerKey());
        assertEquals(255, set.maxTagLength());
    }

    @Test
    void compressionIsOffByDefaultAndSetByItsVariable() {
        assertEquals(0, resolve(Map.of(), Map.of()).compressionThresholdBytes());
        assertEquals(1024, resolve(Map.of("CACHEGRID_COMPRESSION_THRESHOLD_BYTES", "1024"), Map.of())
                .compressionThresholdBytes());
        assertEquals(0, resolve(Map.of("CACHEGRID_COMPRESSION_THRESHOLD_BYTES", "0"), Map.of())
                .compressionThresholdBytes());
    }

    @Test
    void systemPropertyBeatsEnvironmentAndHerokuPortIsAnAlias() {
        assertEquals(7000, resolve(Map.of("CACHEGRID_PORT", "9090"), Map.of("cachegrid.port", "7000")).port());
        assertEquals(5000, resolve(Map.of("PORT", "5000"), Map.of()).port());
        assertEquals(9090, resolve(Map.of("PORT", "5000", "CACHEGRID_PORT", "9090"), Map.of()).port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CACHEGRID_PORT|abc|0..65535",
            "CACHEGRID_PORT|70000|0..65535",
            "CACHEGRID_MAX_SIZE|-5|>= 1",
            "CACHEGRID_MAX_SIZE|0|>= 1",
            "CACHEGRID_MAX_MEMORY_MB|lots|>= 1",
            "CACHEGRID_CLEANUP_INTERVAL|0|> 0",
            "CACHEGRID_EVICTION_POLICY|random|lru, lfu, ttl, size, tinylfu",
            "CACHEGRID_LOG_LEVEL|loud|debug, info, warning, error",
            "CACHEGRID_NODE_ID|'   '|non-empty",
            "CACHEGRID_MAX_TAGS_PER_KEY|256|0..255",
            "CACHEGRID_MAX_TAGS_PER_KEY|-1|0..255",
            "CACHEGRID_MAX_TAG_LENGTH|0|1..255",
            "CACHEGRID_MAX_TAG_LENGTH|many|1..255",
            "CACHEGRID_COMPRESSION_THRESHOLD_BYTES|-1|0 (off)",
            "CACHEGRID_COMPRESSION_THRESHOLD_BYTES|1kb|0 (off)",
            "CACHEGRID_COMPRESSION_THRESHOLD_BYTES|2147483648|1..2147483647"})
    void badValueStopsTheStartNamingTheVariableAndTheAcceptedValues(String variable, String value, String accepted) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> resolve(Map.of(variable, value), Map.of()));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
        assertTrue(e.getMessage().contains(accepted), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void memoryLimitMustFitTheHeap() {
        long heap = 1000L * 1024 * 1024;
        assertEquals(800, CacheGridSettings.resolve(Main.defaults(), Map.of("CACHEGRID_MAX_MEMORY_MB", "800"),
                Map.of(), heap).maxMemoryMb());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CacheGridSettings.resolve(
                Main.defaults(), Map.of("CACHEGRID_MAX_MEMORY_MB", "801"), Map.of(), heap));
        assertTrue(e.getMessage().startsWith("CACHEGRID_MAX_MEMORY_MB=801 does not fit"), e.getMessage());
    }

    @Test
    void responseBudgetIsAQuarterOfTheHeapOrAtLeastOneLargestAnswer() {
        long heap = 1000L * 1024 * 1024;
        Map<String, String> small = Map.of("CACHEGRID_MAX_MEMORY_MB", "100");
        assertEquals(heap / 4, CacheGridSettings.resolve(Main.defaults(), small, Map.of(), heap).maxResponseBytes());
        Map<String, String> set = Map.of("CACHEGRID_MAX_MEMORY_MB", "100", "CACHEGRID_MAX_RESPONSE_BYTES", "20000000");
        assertEquals(20_000_000, CacheGridSettings.resolve(Main.defaults(), set, Map.of(), heap).maxResponseBytes());
        // auto on a tiny heap still holds one GET of the largest value (8 MiB + key + envelope)
        long tiny = 20L * 1024 * 1024;
        long auto = CacheGridSettings.resolve(Main.defaults(), Map.of("CACHEGRID_MAX_MEMORY_MB", "16"), Map.of(), tiny)
                .maxResponseBytes();
        assertTrue(auto > 8L * 1024 * 1024, String.valueOf(auto));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CacheGridSettings.resolve(
                Main.defaults(), Map.of("CACHEGRID_MAX_MEMORY_MB", "100", "CACHEGRID_MAX_RESPONSE_BYTES", "1000000"),
                Map.of(), heap));
        assertTrue(e.getMessage().startsWith("CACHEGRID_MAX_RESPONSE_BYTES=1000000 cannot hold"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        e = assertThrows(ConfigurationException.class, () -> resolve(Map.of("CACHEGRID_MAX_RESPONSE_BYTES", "lots"),
                Map.of()));
        assertTrue(e.getMessage().contains("CACHEGRID_MAX_RESPONSE_BYTES") && e.getMessage().contains("auto"),
                e.getMessage());
    }

    @Test
    void deploymentChecksKnowExactlyTheVariablesTheServerReads() throws java.io.IOException {
        // scripts/test-deploy.sh refuses CACHEGRID_* names in manifests that are not in this list
        java.util.Set<String> listed = java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("..", "k8s", "test", "app-env-names.txt")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(java.util.stream.Collectors.toSet());
        java.util.Set<String> read = CacheGridSettings.environmentNames().stream()
                .filter(name -> name.startsWith("CACHEGRID_"))
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(read, listed);
    }

    @Test
    void everyVariableIsInTheTableOnce() {
        assertEquals(CacheGridSettings.environmentNames().size(),
                CacheGridSettings.environmentNames().stream().distinct().count());
        assertTrue(CacheGridSettings.environmentNames().containsAll(java.util.List.of("CACHEGRID_NODE_ID",
                "CACHEGRID_MAX_SIZE", "CACHEGRID_MAX_MEMORY_MB", "CACHEGRID_CLEANUP_INTERVAL", "CACHEGRID_HOST",
                "CACHEGRID_PORT", "CACHEGRID_LOG_LEVEL", "CACHEGRID_EVICTION_POLICY", "CACHEGRID_MAX_VALUE_BYTES")));
    }
}
