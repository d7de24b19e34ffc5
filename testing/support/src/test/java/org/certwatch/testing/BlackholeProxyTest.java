package org.certwatch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class BlackholeProxyTest {
    /** An echo server on a loopback port: every byte read is written back. */
    private static ServerSocket echo() throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread c = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the test closed it
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        socket.getOutputStream().flush();
        byte[] answer = new byte[text.length()];
        new DataInputStream(socket.getInputStream()).readFully(answer);
        return new String(answer);
    }

    @Test
    void forwardsThenHoldsBothDirectionsSilentlyThenDeliversWhatItHeld() throws Exception {
        try (ServerSocket upstream = echo(); BlackholeProxy proxy = BlackholeProxy.to(upstream.getLocalPort());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.setSoTimeout(500);
            assertEquals("hello", roundTrip(client, "hello"));

            proxy.blackhole();
            // neither an answer nor an end of stream nor a reset: only the client's own timeout tells
            assertThrows(SocketTimeoutException.class, () -> roundTrip(client, "lost?"));
            assertTrue(proxy.held() >= 1, "the proxy held what the client sent");
            // a new connection is accepted but nothing passes
            try (Socket late = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                late.setSoTimeout(300);
                late.getOutputStream().write('x');
                assertThrows(SocketTimeoutException.class, () -> late.getInputStream().read());
            }

            proxy.heal();
            client.setSoTimeout(5000);
            byte[] held = new byte[5];
            new DataInputStream(client.getInputStream()).readFully(held);
            assertEquals("lost?", new String(held), "what was held arrives after the heal");
            assertEquals("again", roundTrip(client, "again"));
        }
    }
}
