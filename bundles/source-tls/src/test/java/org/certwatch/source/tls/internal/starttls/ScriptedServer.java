package org.certwatch.source.tls.internal.starttls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A loopback server playing one script for one connection on its own thread, stopped by {@link #close()}. */
final class ScriptedServer implements AutoCloseable {
    interface Script {
        void play(Peer peer) throws Exception;
    }

    /** The accepted connection, read unbuffered so the TLS handshake that may follow sees every byte. */
    record Peer(Socket socket, InputStream in, OutputStream out) {
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("client hung up");
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        byte[] read(int count) throws IOException {
            return in.readNBytes(count);
        }
    }

    private final ServerSocket server;
    private final Thread thread;
    private volatile Exception failure;

    ScriptedServer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                script.play(new Peer(socket, socket.getInputStream(), socket.getOutputStream()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
            }
        }, "scripted-server");
        thread.start();
    }

    Socket connect() throws IOException {
        return new Socket(server.getInetAddress(), server.getLocalPort());
    }

    /** What went wrong on the server's side, if anything (a script's assertion, say). */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.interrupt();
        thread.join(10_000);
    }
}
