package org.certwatch.commons.console;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The console socket's two control bytes, from the server to {@code certwatch console}: after a prompt, "type
 * a line" ({@link #LINE}) or "type a secret, no echo" ({@link #SECRET}); the client reads one line from its
 * terminal then, and only then, so a secret is never read with the echo on. Anything else is text. What
 * commands print goes through {@link #text}, which turns those two bytes into '?' (a certificate's subject
 * could carry one and make the client read at the wrong time).
 */
public final class ConsoleWire {
    public static final int LINE = 0x01;
    public static final int SECRET = 0x02;

    private ConsoleWire() {
    }

    /** A stream for text: the control bytes in it are replaced. */
    public static OutputStream text(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b == LINE || b == SECRET ? '?' : b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                for (int i = 0; i < copy.length; i++) {
                    if (copy[i] == LINE || copy[i] == SECRET) {
                        copy[i] = '?';
                    }
                }
                out.write(copy);
            }
        };
    }
}
