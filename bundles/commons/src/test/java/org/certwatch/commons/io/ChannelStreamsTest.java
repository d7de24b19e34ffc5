package org.certwatch.commons.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ChannelStreamsTest {
    /** A reader blocked on the channel must not keep another thread from writing to it (Channels' streams do). */
    @Test
    @Timeout(30)
    void aBlockedReaderLetsTheWriterThrough(@TempDir Path dir) throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            try (SocketChannel client = SocketChannel.open(address); SocketChannel peer = server.accept()) {
                InputStream clientIn = ChannelStreams.in(client);
                CompletableFuture<Integer> reading = CompletableFuture.supplyAsync(() -> {
                    try {
                        return clientIn.read(); // blocks: the peer answers only after it read the line below
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.onSpinWait();
                OutputStream clientOut = ChannelStreams.out(client);
                clientOut.write("help\n".getBytes(StandardCharsets.UTF_8));
                byte[] line = ChannelStreams.in(peer).readNBytes(5);
                assertEquals("help\n", new String(line, StandardCharsets.UTF_8));
                ChannelStreams.out(peer).write('!');
                assertEquals('!', reading.get(20, java.util.concurrent.TimeUnit.SECONDS));
                peer.shutdownOutput();
                assertEquals(-1, clientIn.read());
            }
        }
    }
}
