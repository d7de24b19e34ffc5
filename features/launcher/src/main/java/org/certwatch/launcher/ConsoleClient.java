package org.certwatch.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.commons.io.ChannelStreams;

/**
 * {@code certwatch console}: attaches this terminal to the running server's console over the UNIX-domain
 * socket {@code console.sock} in its data folder (only the service user can open it). Lines typed go to
 * the server, its answers come back; end of input (Ctrl-D) detaches and leaves the server running.
 */
final class ConsoleClient {
    static final String SOCKET = "console.sock";

    private ConsoleClient() {
    }

    /** @return the exit status: 0 detached, 2 no server to attach to */
    static int attach(Path data, InputStream in, OutputStream out) {
        Path socket = data.resolve(SOCKET);
        if (!Files.exists(socket)) {
            System.err.println("certwatch console: no server is running on " + data + " (no " + socket + ")");
            return 2;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Thread typing = new Thread(() -> {
                try {
                    in.transferTo(ChannelStreams.out(channel));
                    channel.shutdownOutput(); // end of input: the server's console ends this session
                } catch (IOException e) {
                    // the server went away: the reading side below ends too
                }
            }, "certwatch-console-input");
            typing.setDaemon(true);
            typing.start();
            // one thread reads while the other writes: Channels' streams would block each other (ChannelStreams)
            ChannelStreams.in(channel).transferTo(out);
            out.flush();
            return 0;
        } catch (IOException e) {
            System.err.println("certwatch console: cannot attach to " + socket + ": " + e.getMessage());
            return 2;
        }
    }
}
