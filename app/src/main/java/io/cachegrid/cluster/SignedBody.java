package io.cachegrid.cluster;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;

import io.cachegrid.api.ApiException;
import io.helidon.http.Status;

/**
 * Why: the MAC covers the body's digest, but the body can be read only once, by the service that handles it. This
 * stream sits between the socket and that service and digests the bytes as they pass; when the last byte arrives
 * (the announced length, or the end of a chunked body) it compares the digest with the signed one, and on a
 * mismatch throws a 403 before the service has the whole body, so it stores nothing.
 */
final class SignedBody extends FilterInputStream {

    private final MessageDigest digest = RequestSigner.digest();
    private final byte[] expected;
    private final long length;
    private long read;
    private boolean checked;

    /**
     * @param expectedHash base64url SHA-256 the signature vouches for
     * @param length       the announced Content-Length, or -1 for a chunked body
     */
    SignedBody(InputStream in, String expectedHash, long length) {
        super(in);
        this.expected = Base64.getUrlDecoder().decode(expectedHash);
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        } else {
            digest.update((byte) b);
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = super.read(buffer, offset, count);
        if (n < 0) {
            check();
        } else {
            digest.update(buffer, offset, n);
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        read += n;
        if (length >= 0 && read >= length) {
            check();
        }
    }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        if (!MessageDigest.isEqual(digest.digest(), expected)) {
            throw new ApiException(Status.FORBIDDEN_403, "forbidden",
                    "the request body does not match its cluster signature");
        }
    }
}
