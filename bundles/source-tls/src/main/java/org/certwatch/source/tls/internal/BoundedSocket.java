package org.certwatch.source.tls.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A plain socket that refuses to read more than a bound from its peer: the TLS layer on top of it reads through
 * {@link #getInputStream()}, so a chain of a thousand certificates or a megabyte certificate ends the check as
 * {@link TooLargeException} after the bound, however the TLS library buffers.
 */
final class BoundedSocket extends java.net.Socket {
    /** More bytes than the bound came from the peer. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    private final long limit;
    private long read;
    private InputStream in;

    BoundedSocket(long limit) {
        this.limit = limit;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }
            };
        }
        return in;
    }

    private void count(int n) throws TooLargeException {
        read += n;
        if (read > limit) {
            throw new TooLargeException("the peer sent more than " + limit + " bytes");
        }
    }
}
