package io.cachegrid.cluster;

import java.util.concurrent.atomic.AtomicLong;

import io.cachegrid.json.JsonWriter;

/**
 * Why: anti-entropy works in the background; operators (and the console) need to see that it runs, how long a pass
 * takes and how much it repairs, in {@code GET /cluster} under {@code anti_entropy}. Counters only, no lock.
 */
final class AntiEntropyStats {

    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failedRuns = new AtomicLong();
    private final AtomicLong keysPushed = new AtomicLong();
    private final AtomicLong keysPulled = new AtomicLong();
    private final AtomicLong bucketsDiffering = new AtomicLong();
    private volatile long lastBucketsDiffering;
    private volatile double lastRunEpochSeconds;
    private volatile double lastRunSeconds;
    private volatile boolean lastRunOk = true;

    void pushed(long count) {
        keysPushed.addAndGet(count);
    }

    void pulled(long count) {
        keysPulled.addAndGet(count);
    }

    void differing(long buckets) {
        bucketsDiffering.addAndGet(buckets);
    }

    /** A pass ended (or failed) after {@code nanos}, having found {@code differing} buckets unequal. */
    void finished(boolean ok, long startedMillis, long nanos, long differing) {
        runs.incrementAndGet();
        if (!ok) {
            failedRuns.incrementAndGet();
        }
        lastRunOk = ok;
        lastBucketsDiffering = differing;
        lastRunEpochSeconds = startedMillis / 1000.0;
        lastRunSeconds = nanos / 1e9;
    }

    long runs() {
        return runs.get();
    }

    long keysPushed() {
        return keysPushed.get();
    }

    long keysPulled() {
        return keysPulled.get();
    }

    /** Writes the {@code anti_entropy} object. */
    JsonWriter write(JsonWriter out, double intervalSeconds, boolean repairPending) {
        out.beginObject().name("runs").value(runs.get()).name("failed_runs").value(failedRuns.get())
                .name("last_run").value(runs.get() == 0 ? 0.0 : lastRunEpochSeconds)
                .name("last_run_seconds").value(lastRunSeconds).name("last_run_ok").value(lastRunOk)
                .name("keys_pushed").value(keysPushed.get()).name("keys_pulled").value(keysPulled.get())
                .name("buckets_differing").value(bucketsDiffering.get())
                .name("last_buckets_differing").value(lastBucketsDiffering)
                .name("repair_pending").value(repairPending)
                .name("interval_seconds").value(intervalSeconds);
        return out.endObject();
    }
}
