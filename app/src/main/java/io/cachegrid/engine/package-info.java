/**
 * The cache engine: storage, eviction, expiry and accounting, with no HTTP in sight.
 *
 * <p>{@link io.cachegrid.engine.CacheEngine} is the whole public surface. It spreads keys over a power-of-two
 * number of {@code Segment}s; each segment has its own locks, open-addressing {@code EntryTable},
 * {@code ReplacementPolicy} and expiry heap. The limits ({@code maxSize} items, {@code maxMemoryBytes} bytes) are
 * the whole cache's, held exactly: {@code Occupancy} totals what the segments hold, a put into a full cache
 * evicts from its own segment first and the {@code Evictor} from the others in turn, one segment's locks at a
 * time (no thread ever holds two segments' locks).
 *
 * <p><b>Reads take no exclusive lock.</b> A get is an optimistic read of the segment's {@code StampedLock}
 * ({@code EntryTable.findOptimistic}, validated; the shared read lock on a conflict); it counts its hit or miss
 * in LongAdders and records the access for the policy in the segment's {@code AccessBuffer} (striped by thread,
 * bounded, lossy), which is replayed under the segment's policy lock before every write and whenever a reader
 * finds its ring full. Policies are exact for the accesses they are shown: single-threaded that is every access,
 * in order; under contention a read may be dropped (counted) or replayed out of order with other threads' reads
 * since the last drain, a bounded approximation as in Caffeine ({@code Segment} states it precisely). Only an
 * expired hit, and every write, takes the locks.
 *
 * <ul>
 *   <li>Policies, one file each: {@code LruPolicy} (access-order list), {@code LfuPolicy} (O(1) frequency
 *       buckets), {@code TtlPolicy} and {@code SizePolicy} (indexed heaps via {@code HeapPolicy}),
 *       {@code TinyLfuPolicy} (window + segmented LRU + {@code FrequencySketch} admission).</li>
 *   <li>Entries are compact ({@code Entry}): one byte array holds the key's UTF-8 bytes and the value
 *       ({@code Keys}), the entry object only two list links and one int of policy state, and a TTL's deadline
 *       lives in an {@code ExpiringEntry} subclass. Structures are intrusive through those links and that int, so
 *       indexing allocates nothing per entry ({@code EntryList}, {@code EntryHeap}); what a policy needs beyond
 *       them it keeps in its own structures (lfu bucket ids, the heaps' write order).</li>
 *   <li>Expiry is lazy on read plus {@link io.cachegrid.engine.CacheEngine#expireDue()}, which pops only due
 *       entries from each segment's deadline heap: O(expired · log n), in bounded steps ({@code ExpiryCycle}:
 *       a few dozen entries per lock hold, 25 ms per sweep).</li>
 *   <li>Memory is accounted as key + value + a measured per-entry overhead
 *       ({@link io.cachegrid.engine.CacheEngine#ENTRY_OVERHEAD_BYTES}).</li>
 *   <li>Versions, tags and atomic operations (issue 11): every write takes a version from the engine's
 *       {@link io.cachegrid.engine.VersionClock} (a hybrid logical clock) under its segment's lock; an entry's tags
 *       sit in its data array between key and value ({@code Tags}), and each segment keeps a {@code TagIndex}
 *       from tag to its entries, exact under every change and accounted in the memory. Conditional writes
 *       ({@link io.cachegrid.engine.Condition}), increments and tag invalidation decide and write under the
 *       segment's locks, in one hold: no read-then-write window.</li>
 *   <li>Compression (issue 12, off by default): a value longer than
 *       {@link io.cachegrid.engine.CacheSettings#compressionThresholdBytes()} is stored as an LZ4 block
 *       ({@link io.cachegrid.engine.ValueCompression}) when that saves 1/8, flagged by a spare bit of the entry's
 *       key-length char ({@code Entry#COMPRESSED}); the weights and limits count the stored bytes, a read
 *       decompresses lazily ({@code CompressedValueView}), and {@code CompressionTally} keeps
 *       the figures of {@link io.cachegrid.engine.CacheEngine#compressionStats()}.</li>
 *   <li>{@link io.cachegrid.engine.CacheEngine#checkInvariants()} cross-checks every segment's table, weights,
 *       expiry heap and policy bookkeeping, and the cache's totals against the segments and the limits; the
 *       engine tests run it after every test.</li>
 * </ul>
 */
package io.cachegrid.engine;
