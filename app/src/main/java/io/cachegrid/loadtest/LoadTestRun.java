package io.cachegrid.loadtest;

import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.engine.CacheSettings;

/**
 * One load test: its request, its progress while it runs and its result once it ends. Written by the worker,
 * read by any request thread, so the mutable parts are volatile or atomic.
 */
public final class LoadTestRun {

    public enum Status { RUNNING, COMPLETED, FAILED }

    /** Latency percentiles in milliseconds. */
    public record Latency(double p50, double p95, double p99, double max) {
    }

    private final String id;
    private final OperationType type;
    private final int operations;
    private final Target target;
    private final CacheSettings engineSettings;
    private final double startedAt;
    private final AtomicLong completed = new AtomicLong();
    private volatile Status status = Status.RUNNING;
    private volatile double durationSeconds;
    private volatile Latency latency;
    private volatile String failure;

    LoadTestRun(String id, OperationType type, int operations, Target target, CacheSettings engineSettings,
                double startedAt) {
        this.id = id;
        this.type = type;
        this.operations = operations;
        this.target = target;
        this.engineSettings = engineSettings;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
    }

    public OperationType type() {
        return type;
    }

    public int operations() {
        return operations;
    }

    public Target target() {
        return target;
    }

    /** The settings of the engine the run measures, with the segment count resolved (never 0). */
    public CacheSettings engineSettings() {
        return engineSettings;
    }

    public double startedAt() {
        return startedAt;
    }

    public long completedOperations() {
        return completed.get();
    }

    public Status status() {
        return status;
    }

    public double durationSeconds() {
        return durationSeconds;
    }

    /** Operations per second over the measured phase; 0 until the run completes. */
    public double opsPerSecond() {
        return status == Status.COMPLETED && durationSeconds > 0 ? completed.get() / durationSeconds : 0;
    }

    public Latency latency() {
        return latency;
    }

    public String failure() {
        return failure;
    }

    void addCompleted(long count) {
        completed.addAndGet(count);
    }

    void complete(double seconds, Latency measured) {
        durationSeconds = seconds;
        latency = measured;
        status = Status.COMPLETED;
    }

    void fail(String reason) {
        failure = reason;
        status = Status.FAILED;
    }
}
