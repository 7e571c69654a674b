package io.cachegrid.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.common.buffers.DataReader;
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
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw ApiException.tooLarge("body is larger than the limit of " + maxBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw ApiException.badRequest("incomplete body", "the connection closed before the whole body arrived");
        } catch (IllegalArgumentException e) {
            // Helidon's chunked decoder fails this way on a bad chunk size line ("zz\r\n")
            throw ApiException.badRequest("malformed body", "the chunked transfer encoding of the body is invalid");
        }
    }
}
