package org.certwatch.commons.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Objects;

/**
 * Streams over one blocking socket channel that one thread may read while another writes. The JDK's
 * {@code Channels.newInputStream}/{@code newOutputStream} hold the channel's blocking lock for the whole of a
 * blocked read, so a writer on another thread waits until something arrives: a console whose reader waits for
 * the server's answer never sends the line the server waits for. The channel's own read and write lock apart.
 */
public final class ChannelStreams {
    private ChannelStreams() {
    }

    public static InputStream in(ByteChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                int n;
                do {
                    n = channel.read(ByteBuffer.wrap(b, off, len)); // blocking: 0 only for an empty buffer
                } while (n == 0);
                return n;
            }
        };
    }

    public static OutputStream out(ByteChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }
}
