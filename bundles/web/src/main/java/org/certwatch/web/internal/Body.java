package org.certwatch.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An answer's bytes and, when compressing pays, their gzip form, made once: a body kept in the
 * {@link RenderCache} is sent to every later request as it is, compressed or not as each client
 * accepts. Being made once, it is compressed thoroughly (the default level) and from a smaller size
 * on than an answer compressed per request.
 */
record Body(byte[] plain, byte[] gzip) {
    /** Below this, gzip's header and trailer and the work on both ends outweigh the bytes saved. */
    static final int MIN_GZIP = 1024;

    static Body of(byte[] plain) {
        if (plain.length < MIN_GZIP) {
            return new Body(plain, null);
        }
        byte[] gzip = gzip(plain, Deflater.DEFAULT_COMPRESSION);
        return new Body(plain, gzip.length < plain.length ? gzip : null);
    }

    /** The bytes this body keeps. */
    long size() {
        return plain.length + (gzip == null ? 0 : gzip.length);
    }

    static byte[] gzip(byte[] content, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 6 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(content);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }
}
