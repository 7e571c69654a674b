package io.cachegrid.bench;

/**
 * Why: JMH times the codecs but cannot report how small they make a document. This prints, per codec and size,
 * the document's bytes, its compressed bytes and the ratio (original / compressed), one tab-separated line each,
 * for {@code scripts/bench-compression.sh} to join with the times.
 */
public final class CompressionRatios {
    private CompressionRatios() {
    }

    public static void main(String[] args) {
        String[] codecs = {"deflate-1", "deflate-6", "lz4-jni", "lz4-java", "zstd-1", "zstd-3"};
        int[] sizes = {512, 4096, 65536, 1048576};
        for (String name : codecs) {
            BenchCodec codec = BenchCodec.named(name);
            for (int size : sizes) {
                byte[] document = JsonDocuments.generate(size, CompressionBenchmark.SEED);
                byte[] target = new byte[codec.bound(document.length)];
                int compressed = codec.compress(document, target);
                System.out.printf("%s\t%d\t%d\t%d%n", name, size, document.length, compressed);
            }
        }
    }
}
