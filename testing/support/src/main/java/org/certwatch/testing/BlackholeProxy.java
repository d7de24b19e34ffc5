package org.certwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on an ephemeral loopback port in front of one server (PostgreSQL in the fault tests), with a switch
 * that black-holes both directions without closing anything: {@link #blackhole()} makes it stop reading, so bytes
 * stay in the kernel's buffers, the peers' writes eventually block and neither side sees a reset or an end of
 * stream — what a cut cable or a dropping firewall looks like to a client, which only its own timeouts can notice.
 * New connections meanwhile are accepted (the kernel completes the handshake) but not forwarded. {@link #heal()}
 * resumes forwarding what was held, as TCP's retransmissions would after the partition; a client that gave up on
 * a connection meanwhile has closed it, and the proxy closes the other side then.
 *
 * <p>Threads: one acceptor and two pumps per connection, all daemons, ended by {@link #close()}.
 */
public final class BlackholeProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicLong held = new AtomicLong();
    private boolean dropping; // guarded by gate
    private volatile boolean closed;

    private BlackholeProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        this.acceptor = new Thread(this::accept, "blackhole-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy forwarding to {@code targetPort} on the loopback address. */
    public static BlackholeProxy to(int targetPort) throws IOException {
        return new BlackholeProxy(targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes in either direction, and nobody is told. */
    public void blackhole() {
        synchronized (gate) {
            dropping = true;
        }
    }

    /** Forwards again, including what was held. */
    public void heal() {
        synchronized (gate) {
            dropping = false;
            gate.notifyAll();
        }
    }

    /** Connections accepted so far and not yet closed. */
    public int connections() {
        return sockets.size() / 2;
    }

    /** Chunks read while black-holed and held back (evidence that a client tried to talk meanwhile). */
    public long held() {
        return held.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread connector = new Thread(() -> connect(client), "blackhole-proxy-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            awaitOpen(false);
            upstream.connect(target, 10_000);
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitOpen(true);
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed or reset: the other side goes too, as a real connection would
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "blackhole-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /** Waits while black-holed; {@code holding}: a chunk read meanwhile waits with the caller. */
    private void awaitOpen(boolean holding) throws InterruptedException {
        synchronized (gate) {
            if (dropping && holding) {
                held.incrementAndGet();
            }
            while (dropping && !closed) {
                gate.wait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        heal();
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
