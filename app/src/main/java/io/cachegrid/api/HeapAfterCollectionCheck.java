package io.cachegrid.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Liveness on the heap as the most recent garbage collection left it. Helidon's own heap check counts used memory
 * including garbage not yet collected: a cache filled to its limit (up to 80% of the heap by design) reads "98%
 * used" between two collections while serving normally, and a liveness probe would restart a healthy node. Memory
 * still in use right after a collection is what the node really cannot get back.
 */
public final class HeapAfterCollectionCheck implements HealthCheck {

    /** Share of the heap still in use after a collection at or above which the node reports DOWN. */
    static final double THRESHOLD = 0.98;

    private final Supplier<Map<String, MemoryUsage>> afterLastCollection;
    private final Set<String> heapPools;
    private final long maxBytes;

    public HeapAfterCollectionCheck() {
        this(HeapAfterCollectionCheck::afterMostRecentCollection,
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .map(pool -> pool.getName())
                        .collect(Collectors.toUnmodifiableSet()),
                Runtime.getRuntime().maxMemory());
    }

    HeapAfterCollectionCheck(Supplier<Map<String, MemoryUsage>> afterLastCollection, Set<String> heapPools,
                             long maxBytes) {
        this.afterLastCollection = afterLastCollection;
        this.heapPools = heapPools;
        this.maxBytes = maxBytes;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.LIVENESS;
    }

    @Override
    public String name() {
        return "heapAfterCollection";
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, MemoryUsage> pools = afterLastCollection.get();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        double share = maxBytes <= 0 ? 0 : (double) used / maxBytes;
        return HealthCheckResponse.builder()
                .status(share < THRESHOLD)
                .detail("collected", !pools.isEmpty())
                .detail("usedAfterCollectionBytes", used)
                .detail("maxBytes", maxBytes)
                .detail("percentUsed", String.format(Locale.ROOT, "%.2f%%", share * 100))
                .build();
    }

    /** Every pool's usage right after the collection that ended last, empty before the first collection. */
    private static Map<String, MemoryUsage> afterMostRecentCollection() {
        GcInfo latest = null;
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof GarbageCollectorMXBean withInfo) {
                GcInfo info = withInfo.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        return latest == null ? Map.of() : latest.getMemoryUsageAfterGc();
    }
}
