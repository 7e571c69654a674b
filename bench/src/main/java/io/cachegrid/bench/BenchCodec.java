package io.cachegrid.bench;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Why: the compression benchmark compares codecs through one shape, each used as a cache would use it: into a
 * buffer of the codec's worst-case bound, out into an array of the known original length, with its per-thread
 * state (a Deflater/Inflater, a zstd context) reused rather than made per call. One instance per thread.
 */
abstract class BenchCodec {

    /** Compresses {@code source} into {@code target} (at least {@link #bound} long); returns the bytes written. */
    abstract int compress(byte[] source, byte[] target);

    /** Decompresses {@code length} bytes of {@code source} into {@code target}, exactly its length; returns it. */
    abstract int decompress(byte[] source, int length, byte[] target);

    /** The most bytes {@link #compress} may write for {@code length} input bytes. */
    abstract int bound(int length);

    /** The codecs by their benchmark names: deflate-1, deflate-6, lz4-jni, lz4-java, zstd-1, zstd-3. */
    static BenchCodec named(String name) {
        return switch (name) {
            case "deflate-1" -> new DeflateCodec(1);
            case "deflate-6" -> new DeflateCodec(6);
            case "lz4-jni" -> new Lz4Codec(LZ4Factory.nativeInstance());
            case "lz4-java" -> new Lz4Codec(LZ4Factory.safeInstance());
            case "zstd-1" -> new ZstdCodec(1);
            case "zstd-3" -> new ZstdCodec(3);
            default -> throw new IllegalArgumentException("unknown codec " + name);
        };
    }

    /** The JDK's zlib, raw deflate (no zlib header or checksum: the cache needs neither). */
    static final class DeflateCodec extends BenchCodec {
        private final Deflater deflater;
        private final Inflater inflater = new Inflater(true);

        DeflateCodec(int level) {
            deflater = new Deflater(level, true);
        }

        @Override
        int compress(byte[] source, byte[] target) {
            deflater.reset();
            deflater.setInput(source);
            deflater.finish();
            int written = 0;
            while (!deflater.finished()) {
                written += deflater.deflate(target, written, target.length - written);
            }
            return written;
        }

        @Override
        int decompress(byte[] source, int length, byte[] target) {
            inflater.reset();
            inflater.setInput(source, 0, length);
            try {
                int read = 0;
                while (read < target.length && !inflater.finished()) {
                    read += inflater.inflate(target, read, target.length - read);
                }
                return read;
            } catch (DataFormatException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        int bound(int length) {
            return length + (length >> 12) + (length >> 14) + (length >> 25) + 64;
        }
    }

    /** LZ4 block format: the JNI build of the C library, or lz4-java's pure-Java port (no native code). */
    static final class Lz4Codec extends BenchCodec {
        private final LZ4Compressor compressor;
        private final LZ4SafeDecompressor decompressor;

        Lz4Codec(LZ4Factory factory) {
            compressor = factory.fastCompressor();
            decompressor = factory.safeDecompressor();
        }

        @Override
        int compress(byte[] source, byte[] target) {
            return compressor.compress(source, 0, source.length, target, 0, target.length);
        }

        @Override
        int decompress(byte[] source, int length, byte[] target) {
            return decompressor.decompress(source, 0, length, target, 0, target.length);
        }

        @Override
        int bound(int length) {
            return compressor.maxCompressedLength(length);
        }
    }

    /** Zstandard through zstd-jni, with a reused context per thread. */
    static final class ZstdCodec extends BenchCodec {
        private final ZstdCompressCtx compressor = new ZstdCompressCtx();
        private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();

        ZstdCodec(int level) {
            compressor.setLevel(level);
        }

        @Override
        int compress(byte[] source, byte[] target) {
            return compressor.compressByteArray(target, 0, target.length, source, 0, source.length);
        }

        @Override
        int decompress(byte[] source, int length, byte[] target) {
            return decompressor.decompressByteArray(target, 0, target.length, source, 0, length);
        }

        @Override
        int bound(int length) {
            return (int) Zstd.compressBound(length);
        }
    }
}
