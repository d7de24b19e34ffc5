package org.certwatch.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a {@code /metrics} answer: text is encoded as UTF-8 straight into one buffer, and the
 * certificates' prepared label bytes ({@link SeriesLabels}) and the values go in without a String
 * between. At 100,000 certificates a scrape writes some 70 MB; a {@code Writer} chain would encode all
 * of it again every time.
 */
final class Exposition extends Writer {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private final byte[] digits = new byte[19];
    private int used;

    Exposition(OutputStream out) {
        this.out = out;
    }

    /** Bytes prepared earlier (UTF-8). */
    Exposition bytes(byte[] b) throws IOException {
        if (b.length > buffer.length - used) {
            drain();
            if (b.length > buffer.length) {
                out.write(b);
                return this;
            }
        }
        System.arraycopy(b, 0, buffer, used, b.length);
        used += b.length;
        return this;
    }

    /** A whole number in decimal, as {@code Long.toString} writes it. */
    Exposition number(long value) throws IOException {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        if (buffer.length - used < 20) {
            drain();
        }
        if (value < 0) {
            buffer[used++] = '-';
            value = -value;
        }
        int pos = digits.length;
        do {
            digits[--pos] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        System.arraycopy(digits, pos, buffer, used, digits.length - pos);
        used += digits.length - pos;
        return this;
    }

    Exposition ascii(char c) throws IOException {
        if (used == buffer.length) {
            drain();
        }
        buffer[used++] = (byte) c;
        return this;
    }

    private Exposition ascii(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            ascii(s.charAt(i));
        }
        return this;
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // names from certificates and operators may be non-ASCII: the rest of this string the slow way
                bytes(s.substring(i, off + len).getBytes(StandardCharsets.UTF_8));
                return;
            }
            ascii(c);
        }
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        write(new String(chars, off, len), 0, len);
    }

    @Override
    public void write(int c) throws IOException {
        write(String.valueOf((char) c), 0, 1);
    }

    private void drain() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        drain();
        out.close();
    }
}
