package io.cachegrid.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Why: issue 12 asks for the value codec to be chosen by measurement. This times compressing and decompressing one
 * JSON document ({@link JsonDocuments}, seeded, so every codec sees the same bytes) per size and codec, single
 * threaded, as average time per operation; {@code scripts/bench-compression.sh} turns the times into MB/s of
 * original bytes and adds each codec's ratio ({@link CompressionRatios}). Setup checks that every codec gives
 * the document back byte for byte before anything is timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompressionBenchmark {
    static final long SEED = 12;

    @Param({"deflate-1", "deflate-6", "lz4-jni", "lz4-java", "zstd-1", "zstd-3"})
    public String codec;

    @Param({"512", "4096", "65536", "1048576"})
    public int size;

    BenchCodec implementation;
    byte[] document;
    byte[] compressed;
    int compressedLength;
    byte[] scratch;
    byte[] restored;

    @Setup(Level.Trial)
    public void setUp() {
        implementation = BenchCodec.named(codec);
        document = JsonDocuments.generate(size, SEED);
        compressed = new byte[implementation.bound(document.length)];
        scratch = new byte[compressed.length];
        compressedLength = implementation.compress(document, compressed);
        restored = new byte[document.length];
        int length = implementation.decompress(compressed, compressedLength, restored);
        if (length != document.length || !Arrays.equals(restored, document)) {
            throw new IllegalStateException(codec + " does not round-trip a " + size + "-byte document");
        }
    }

    @Benchmark
    public int compress() {
        return implementation.compress(document, scratch);
    }

    @Benchmark
    public int decompress() {
        implementation.decompress(compressed, compressedLength, restored);
        return restored[restored.length - 1];
    }
}
