package io.cachegrid.engine;

/**
 * What compression does for the values held now, over the values above the threshold (the ones it is tried on):
 * those kept compressed and those kept as they were because they did not shrink enough.
 *
 * @param thresholdBytes        values longer than this are compressed; 0 when compression is off
 * @param compressedValues      values held compressed
 * @param originalBytes         what the compressed values would take uncompressed
 * @param storedBytes           what they take compressed (header included)
 * @param incompressibleValues  values above the threshold held as they are (they did not shrink enough)
 * @param incompressibleBytes   their bytes
 */
public record CompressionStats(long thresholdBytes, long compressedValues, long originalBytes, long storedBytes,
                               long incompressibleValues, long incompressibleBytes) {

    /** Whether values are compressed at all. */
    public boolean enabled() {
        return thresholdBytes > 0;
    }

    /**
     * Original bytes over stored bytes of every value above the threshold held now (an incompressible one counts
     * as 1:1); 1.0 when there is none.
     */
    public double ratio() {
        long stored = storedBytes + incompressibleBytes;
        return stored == 0 ? 1.0 : (double) (originalBytes + incompressibleBytes) / stored;
    }

    /** Bytes the cache holds less than it would uncompressed. */
    public long savedBytes() {
        return originalBytes - storedBytes;
    }
}
