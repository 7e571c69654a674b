package io.cachegrid.api;

import java.nio.charset.StandardCharsets;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PrevalidatedHeader}s write and read exactly as the Helidon headers they replace. */
class PrevalidatedHeaderTest {

    @Test
    void etagWritesTheSameLineAsHelidonsHeader() {
        long[] versions = {0, 1, 9, 10, 42, 1_000_000, Long.MAX_VALUE, -1, Long.MIN_VALUE, -1234567890123L};
        for (long version : versions) {
            Header ours = PrevalidatedHeader.etag(version);
            Header helidons = HeaderValues.create(HeaderNames.ETAG, Preconditions.etag(version));
            assertEquals(line(helidons), line(ours));
            assertEquals("\"" + Long.toUnsignedString(version) + "\"", ours.get());
            assertEquals(helidons.get(), ours.get());
            assertEquals(HeaderNames.ETAG, ours.headerName());
            assertEquals(helidons.allValues(), ours.allValues());
            ours.validate();
        }
    }

    @Test
    void contentLengthWritesTheSameLineAsHelidonsHeader() {
        for (long length : new long[] {0, 5, 10, 130, 65536, Long.MAX_VALUE}) {
            Header ours = PrevalidatedHeader.contentLength(length);
            assertEquals(line(HeaderValues.create(HeaderNames.CONTENT_LENGTH, length)), line(ours));
            assertEquals(String.valueOf(length), ours.get());
        }
    }

    @Test
    void contentTypeWritesTheSameLineAsHelidonsHeader() {
        assertEquals(line(HeaderValues.CONTENT_TYPE_JSON), line(PrevalidatedHeader.CONTENT_TYPE_JSON));
        assertEquals(HeaderValues.CONTENT_TYPE_JSON.get(), PrevalidatedHeader.CONTENT_TYPE_JSON.get());
        assertEquals(HeaderNames.CONTENT_TYPE, PrevalidatedHeader.CONTENT_TYPE_JSON.headerName());
    }

    private static String line(Header header) {
        BufferData buffer = BufferData.growing(64);
        header.writeHttp1Header(buffer);
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
