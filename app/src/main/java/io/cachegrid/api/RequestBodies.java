package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/** Reads a request body up to a limit, turning a broken or oversized body into the client's 4xx. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The whole body, read only up to {@code maxBytes} (a chunked body that grows past it is never buffered whole).
     *
     * @throws ApiException 413 over the limit; 400 for a body cut short or a broken chunked encoding
     */
    public static byte[] readAtMost(ServerRequest req, long maxBytes) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        InputStream in = req.content().inputStream();
        // an announced length within the limit is read into an array of that size: readNBytes(maxBytes + 1) would
        // take a 16 KiB buffer (and a copy) for every small body (docs/performance.md); a chunked or larger body
        // is read as before, up to one byte past the limit
        OptionalLong announced = req.headers().contentLength();
        int want = announced.isPresent() && announced.getAsLong() >= 0 && announced.getAsLong() <= maxBytes
                ? (int) Math.min(Integer.MAX_VALUE - 8, announced.getAsLong())
                : (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
        byte[] body;
        try {
            body = in.readNBytes(want);
        } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // not closed: closing drains the rest of the body, which would wait for bytes that never come
            throw ApiException.brokenBody("incomplete body", "the connection closed before the whole body arrived");
        } catch (RequestException e) {
            if (e.status() != Status.BAD_REQUEST_400) {
                throw e; // e.g. 413 from the server-wide payload limit
            }
            throw malformedChunks();
        } catch (IllegalArgumentException e) {
            throw malformedChunks();
        }
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > maxBytes) {
            throw ApiException.tooLarge("body is larger than the limit of " + maxBytes + " bytes");
        }
        return body;
    }

    /**
     * Helidon's chunked decoder fails on a bad chunk-size line ({@code "zz\r\n"}) with a 400 {@link RequestException}
     * (or an {@link IllegalArgumentException}); the framing of the connection is lost with it.
     */
    private static ApiException malformedChunks() {
        return ApiException.brokenBody("malformed body", "the chunked transfer encoding of the body is invalid");
    }
}
