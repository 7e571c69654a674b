package io.cachegrid.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.helidon.common.GenericType;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.mapper.Value;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * Why: the response headers every cache answer carries cost Helidon's way about 0.4 KB per request. With
 * {@code validate-response-headers} on (kept: it guards every other header) each header's name is checked through
 * {@code String.toCharArray}; a {@code HeaderValues.create} value is copied when set ({@code HeaderValueCopy});
 * the ETag needs two Strings, and Content-Length a String and its bytes. These headers are valid by construction (a fixed name, a fixed value or decimal
 * digits), are checked once here, and write their line straight into Helidon's response buffer. Helidon stores a
 * header that is not {@code HeaderWriteable} as it is.
 * <p>
 * The {@link Value} side (what code reading the response headers would call) works through an ordinary Helidon
 * header made on demand.
 */
abstract sealed class PrevalidatedHeader implements Header {

    /** {@code Content-Type: application/json}, as {@link HeaderValues#CONTENT_TYPE_JSON}. */
    static final Header CONTENT_TYPE_JSON = new Constant(HeaderValues.CONTENT_TYPE_JSON);

    private final HeaderName name;

    private PrevalidatedHeader(HeaderName name) {
        this.name = name;
    }

    /** The {@code ETag} of a version: {@code "<unsigned decimal>"}, its digits written without a String. */
    static Header etag(long version) {
        return new Decimal(HeaderNames.ETAG, version);
    }

    /** {@code Content-Length} of a body that is sent whole (an encoder that changes the length replaces it). */
    static Header contentLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return new Decimal(HeaderNames.CONTENT_LENGTH, length);
    }

    /** The header as Helidon makes it, for everything but writing it. */
    abstract Header standard();

    @Override
    public final HeaderName headerName() {
        return name;
    }

    @Override
    public final String name() {
        return name.defaultCase();
    }

    @Override
    public String get() {
        return standard().get();
    }

    @Override
    public final List<String> allValues() {
        return List.of(get());
    }

    @Override
    public final int valueCount() {
        return 1;
    }

    @Override
    public final boolean sensitive() {
        return false;
    }

    @Override
    public final boolean changing() {
        return false;
    }

    /** Checked once when made: a fixed name and a value of fixed form. */
    @Override
    public final void validate() {
    }

    @Override
    public <N> Value<N> as(Class<N> type) {
        return standard().as(type);
    }

    @Override
    public <N> Value<N> as(GenericType<N> type) {
        return standard().as(type);
    }

    @Override
    public <N> Value<N> as(Function<? super String, ? extends N> mapper) {
        return standard().as(mapper);
    }

    @Override
    public Optional<String> asOptional() {
        return Optional.of(get());
    }

    @Override
    public Value<Boolean> asBoolean() {
        return standard().asBoolean();
    }

    @Override
    public Value<String> asString() {
        return standard().asString();
    }

    @Override
    public Value<Integer> asInt() {
        return standard().asInt();
    }

    @Override
    public Value<Long> asLong() {
        return standard().asLong();
    }

    @Override
    public Value<Double> asDouble() {
        return standard().asDouble();
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof Header header && header.headerName().equals(name) && header.valueCount() == 1
                && header.get().equals(get());
    }

    @Override
    public final int hashCode() {
        return name.hashCode() * 31 + get().hashCode();
    }

    @Override
    public final String toString() {
        return name() + ": " + get();
    }

    /** A fixed header: its whole line is kept as bytes. */
    private static final class Constant extends PrevalidatedHeader {
        private final Header standard;
        private final byte[] line;

        Constant(Header standard) {
            super(standard.headerName());
            standard.validate();
            this.standard = standard;
            this.line = (standard.name() + ": " + standard.get() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        Header standard() {
            return standard;
        }

        @Override
        public String get() {
            return standard.get();
        }

        @Override
        public byte[] valueBytes() {
            return standard.valueBytes();
        }

        @Override
        public void writeHttp1Header(BufferData buffer) {
            buffer.write(line);
        }
    }

    /** A header whose value is a number: {@code ETag: "<unsigned version>"} or {@code Content-Length: <n>}. */
    private static final class Decimal extends PrevalidatedHeader {
        private static final byte[] ETAG_START = "ETag: \"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ETAG_END = "\"\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LENGTH_START = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LENGTH_END = "\r\n".getBytes(StandardCharsets.US_ASCII);

        private final long number;

        Decimal(HeaderName name, long number) {
            super(name);
            this.number = number;
        }

        private boolean etag() {
            return headerName() == HeaderNames.ETAG;
        }

        @Override
        Header standard() {
            return HeaderValues.create(headerName(), get());
        }

        @Override
        public String get() {
            return etag() ? Preconditions.etag(number) : Long.toString(number);
        }

        @Override
        public byte[] valueBytes() {
            return get().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void writeHttp1Header(BufferData buffer) {
            buffer.write(etag() ? ETAG_START : LENGTH_START);
            writeUnsigned(buffer, number);
            buffer.write(etag() ? ETAG_END : LENGTH_END);
        }

        /** The decimal digits of an unsigned long, most significant first, one byte at a time (no String). */
        private static void writeUnsigned(BufferData buffer, long value) {
            long high = Long.divideUnsigned(value, 10); // all digits but the last, as a non-negative long
            int last = (int) Long.remainderUnsigned(value, 10);
            if (high != 0) {
                long divisor = 1;
                while (divisor <= high / 10) {
                    divisor *= 10;
                }
                for (; divisor > 0; divisor /= 10) {
                    buffer.write((int) ('0' + (high / divisor) % 10));
                }
            }
            buffer.write('0' + last);
        }
    }
}
