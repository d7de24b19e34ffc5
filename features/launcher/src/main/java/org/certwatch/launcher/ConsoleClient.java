package org.certwatch.launcher;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.commons.console.ConsoleWire;
import org.certwatch.commons.io.ChannelStreams;

/**
 * {@code certwatch console}: attaches this terminal to the running server's console over the UNIX-domain
 * socket {@code console.sock} in its data folder (only the service user can open it). The server says when
 * it waits for a line ({@link ConsoleWire}): only then is one read and sent, and a password with the
 * terminal's echo off ({@link Console#readPassword}); without a terminal (piped input) the next line is the
 * password. End of input (Ctrl-D) detaches and leaves the server running.
 */
final class ConsoleClient {
    static final String SOCKET = "console.sock";

    private ConsoleClient() {
    }

    /** @return the exit status: 0 detached, 2 no server to attach to */
    static int attach(Path data, InputStream in, OutputStream out) {
        Path socket = data.resolve(SOCKET);
        if (!Files.exists(socket)) {
            if (!Files.notExists(socket)) {
                // neither exists nor not: the 0700 data folder is another user's, as it should be
                System.err.println("certwatch console: cannot reach " + socket + ": permission denied; attach as the"
                        + " user the server runs as (its data folder is that user's only)");
                return 2;
            }
            System.err.println("certwatch console: no server is running on " + data + " (no " + socket + ")");
            return 2;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            converse(channel, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out,
                    in == System.in ? System.console() : null);
            return 0;
        } catch (IOException e) {
            System.err.println("certwatch console: cannot attach to " + socket + ": " + e.getMessage());
            return 2;
        }
    }

    private static void converse(SocketChannel channel, BufferedReader typed, OutputStream out, Console terminal)
            throws IOException {
        InputStream server = new BufferedInputStream(ChannelStreams.in(channel));
        OutputStream toServer = ChannelStreams.out(channel);
        int b;
        while ((b = server.read()) >= 0) {
            if (b != ConsoleWire.LINE && b != ConsoleWire.SECRET) {
                out.write(b);
                if (server.available() == 0) {
                    out.flush();
                }
                continue;
            }
            out.flush();
            String line;
            if (b == ConsoleWire.SECRET && terminal != null) {
                char[] secret = terminal.readPassword();
                line = secret == null ? null : new String(secret);
            } else {
                line = typed.readLine();
            }
            if (line == null) {
                channel.shutdownOutput(); // end of input: the server's console ends this session
            } else {
                toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
            }
        }
        out.flush();
    }
}
