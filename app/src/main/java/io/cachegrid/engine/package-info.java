/**
 * The cache engine: storage, eviction, expiry and accounting, with no HTTP in sight.
 *
 * <p>{@link io.cachegrid.engine.CacheEngine} is the whole public surface. It spreads keys over a power-of-two
 * number of {@code Segment}s; each segment has its own lock, {@code HashMap}, {@code ReplacementPolicy} and
 * expiry heap, and enforces {@code maxSize / segments} items and {@code maxMemoryBytes / segments} bytes
 * exactly, so no lock ever spans segments and the totals can never exceed the cache limits.
 *
 * <ul>
 *   <li>Policies, one file each: {@code LruPolicy} (access-order list), {@code LfuPolicy} (O(1) frequency
 *       buckets), {@code TtlPolicy} and {@code SizePolicy} (indexed heaps via {@code HeapPolicy}),
 *       {@code TinyLfuPolicy} (window + segmented LRU + {@code FrequencySketch} admission).</li>
 *   <li>Structures are intrusive: an {@code Entry} carries the links and heap slots of every index, so indexing
 *       allocates nothing per entry ({@code EntryList}, {@code EntryHeap}).</li>
 *   <li>Expiry is lazy on read plus {@link io.cachegrid.engine.CacheEngine#expireDue()}, which pops only due
 *       entries from each segment's deadline heap: O(expired · log n).</li>
 *   <li>Memory is accounted as key + value + a measured per-entry overhead
 *       ({@link io.cachegrid.engine.CacheEngine#ENTRY_OVERHEAD_BYTES}).</li>
 *   <li>{@link io.cachegrid.engine.CacheEngine#checkInvariants()} cross-checks every segment's map, weights,
 *       expiry heap and policy bookkeeping; the engine tests run it after every test.</li>
 * </ul>
 */
package io.cachegrid.engine;
