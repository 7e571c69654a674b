package io.cachegrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's change hook (persistence's source): every applied change is reported once, with the stored bytes,
 * the version the entry got and the deadline; refused writes, reads, expiry and eviction are not; clear and tag
 * invalidation report a delete for each entry they removed.
 */
class ChangeListenerTest extends EngineTestSupport {

    /** The calls as text, e.g. {@code set k=1 v=... d=...}. */
    private static final class Recorder implements ChangeListener {
        final List<String> calls = new ArrayList<>();
        final List<Long> versions = new ArrayList<>();

        @Override
        public void stored(byte[] data, int keyOffset, int keyLength, int valueOffset, boolean compressed,
                           long version, long deadline, long now) {
            String key = new String(data, keyOffset, keyLength);
            String tags = valueOffset > keyOffset + keyLength
                    ? Tags.decode(data, keyOffset + keyLength).toString() : "";
            String value = compressed
                    ? "lz4:" + new String(ValueCompression.decompress(data, valueOffset, data.length - valueOffset))
                    : new String(Arrays.copyOfRange(data, valueOffset, data.length));
            calls.add("set " + key + tags + "=" + value + (deadline == Long.MAX_VALUE ? "" : " ttl=" + (deadline - now)));
            versions.add(version);
        }

        @Override
        public void cleared(long epoch) {
            calls.add("clear");
            versions.add(epoch);
        }

        @Override
        public void deleted(byte[] key, long version) {
            calls.add("delete " + new String(key) + (version == 0 ? "" : " versioned"));
            versions.add(version);
        }
    }

    @Test
    void everyAppliedChangeIsReportedOnceInOrderWithItsVersion() {
        CacheEngine cache = engine(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 1);
        Recorder recorder = new Recorder();
        cache.listen(recorder);
        long v1 = cache.put("a", bytes("1"), TimeUnit.SECONDS.toNanos(5), List.of("t"));
        cache.putIf("a", bytes("2"), 0, List.of(), Condition.ABSENT);          // refused: not reported
        cache.get("a");                                                       // a read: not reported
        long v2 = ((IncrResult.Incremented) cache.increment("n", 3, 0)).version();
        cache.delete("a");
        cache.delete("absent");                                               // nothing removed: not reported
        cache.put("b", bytes("2"), 0, List.of("t"));
        cache.invalidateTag("t");
        cache.put("c", bytes("3"), 0);
        cache.clear();
        cache.clear();                                                        // empty: not reported
        assertEquals(List.of("set a[t]=1 ttl=5000000000", "set n=3", "delete a", "set b[t]=2", "delete b", "set c=3"),
                     recorder.calls.subList(0, 6));
        assertEquals(List.of("delete c", "delete n"), recorder.calls.subList(6, 8).stream().sorted().toList(),
                     "a clear reports each entry it removed");
        assertEquals(8, recorder.calls.size());
        assertEquals(v1, recorder.versions.get(0));
        assertEquals(v2, recorder.versions.get(1));
        cache.listen(null);
        cache.put("d", bytes("4"), 0);
        assertEquals(8, recorder.calls.size(), "no listener, no call");
    }

    @Test
    void expiryAndEvictionAreNotReported() {
        CacheEngine cache = engine(2, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 1);
        Recorder recorder = new Recorder();
        cache.listen(recorder);
        cache.put("x", bytes("1"), 1000);
        cache.put("y", bytes("2"), 0);
        cache.put("z", bytes("3"), 0);                                        // evicts one
        ticker.advanceNanos(2000);
        cache.expireDue();
        cache.get("x");
        assertEquals(List.of("set x=1 ttl=1000", "set y=2", "set z=3"), recorder.calls);
    }

    @Test
    void aClusteredEnginesDeletesReplicasAndHandoversCarryTheirVersions() {
        CacheEngine cache = clustered(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 1, TimeUnit.SECONDS.toNanos(300));
        Recorder recorder = new Recorder();
        cache.listen(recorder);
        long base = cache.versionClock().current() + 1_000;
        cache.putIf("r", bytes("1"), 0, List.of(), Condition.newer(base));    // a replica copy keeps its version
        cache.deleteVersioned("r", base + 1);
        cache.delete("gone");                                                // a tombstone even with nothing here
        cache.putIf("h", bytes("2"), 0, List.of(), Condition.newer(base + 2));
        cache.discard("h", base + 2);                                         // handed over: a plain removal
        cache.putIf("t", bytes("3"), 0, List.of("x"), Condition.newer(base + 3));
        cache.invalidateTag("x", base + 4);                                   // a member's invalidation: tombstones
        assertEquals(List.of("set r=1", "delete r versioned", "delete gone versioned", "set h=2", "delete h",
                             "set t[x]=3", "delete t versioned"), recorder.calls);
        assertEquals(List.of(base, base + 1, cache.tombstoneVersion("gone"), base + 2, 0L, base + 3, base + 4),
                     recorder.versions);
    }

    @Test
    void forEachEntryHandsOverLiveEntriesAndTombstones() {
        CacheEngine cache = clustered(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 4, TimeUnit.SECONDS.toNanos(300));
        cache.put("a", bytes("1"), 0, List.of("t"));
        cache.put("b", bytes("2"), 1000);
        cache.put("c", bytes("3"), 0);
        cache.delete("c");
        ticker.advanceNanos(2000);                                                 // b expired, not swept
        Recorder recorder = new Recorder();
        assertEquals(2, cache.forEachEntry(recorder));
        assertEquals(List.of("delete c versioned", "set a[t]=1"), recorder.calls.stream().sorted().toList());
    }

    @Test
    void compressedValuesAreReportedAsSuchAndAVersionedClearOnceWithItsEpoch() {
        CacheEngine cache = new CacheEngine(new CacheSettings(100, LARGE_MEMORY_BYTES, EvictionPolicy.LRU, 2, ticker,
                                                              TimeUnit.SECONDS.toNanos(300))
                                                    .withCompressionThreshold(16));
        Recorder recorder = new Recorder();
        cache.listen(recorder);
        String json = "{\"a\":\"" + "x".repeat(200) + "\"}";
        cache.put("big", bytes(json), 0);
        cache.put("small", bytes("1"), 0);
        long epoch = cache.versionClock().current() + 1_000;
        cache.clear(epoch);
        cache.put("after", bytes(json), 0);
        assertEquals(List.of("set big=lz4:" + json, "set small=1", "clear", "set after=lz4:" + json), recorder.calls,
                     "the clear is one call: the entries it removed are not reported one by one");
        assertEquals(epoch, recorder.versions.get(2));
        Recorder snapshot = new Recorder();
        assertEquals(1, cache.forEachEntry(snapshot));
        assertEquals(List.of("clear", "set after=lz4:" + json), snapshot.calls, "the epoch first, then the entries");
        assertEquals(epoch, snapshot.versions.getFirst());
    }
}
