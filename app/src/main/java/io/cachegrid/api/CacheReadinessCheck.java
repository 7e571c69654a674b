package io.cachegrid.api;

import io.cachegrid.engine.CacheEngine;
import io.cachegrid.engine.CacheStats;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness for {@code /observe/health/ready}: the engine answers, reported with its occupancy. */
public final class CacheReadinessCheck implements HealthCheck {

    private final CacheEngine engine;

    public CacheReadinessCheck(CacheEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "cachegrid";
    }

    @Override
    public HealthCheckResponse call() {
        CacheStats stats = engine.stats();
        return HealthCheckResponse.builder().status(true)
                .detail("entries", stats.size())
                .detail("memoryBytes", stats.memoryBytes())
                .detail("policy", stats.policy().configName())
                .build();
    }
}
