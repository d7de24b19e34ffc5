package org.certwatch.source.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.LocationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against in-process peers: a JDK TLS server, and hostile ones that trickle, stay silent or babble. */
class TlsProberTest {
    private static final Duration DEADLINE = Duration.ofMillis(4000);
    private final ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService peers = Executors.newCachedThreadPool();
    private final TlsProber prober = new TlsProber(watchdog, () -> new ProbeBounds(Duration.ofSeconds(2), DEADLINE,
            Duration.ofSeconds(10), 10, 64 * 1024, false));

    @AfterEach
    void stop() {
        peers.shutdownNow();
        watchdog.shutdownNow();
    }

    private static Endpoint endpoint(String host, int port, String sni) {
        return new Endpoint("1", host, port, sni, EndpointProtocol.TLS, "All", null, "", false, "", Instant.EPOCH);
    }

    /** A peer on loopback that runs {@code behaviour} for every connection. */
    private int peer(PeerBehaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        peers.execute(() -> {
            try (server) {
                while (!Thread.currentThread().isInterrupted()) {
                    Socket s = server.accept();
                    peers.execute(() -> {
                        try (s) {
                            behaviour.run(s.getInputStream(), s.getOutputStream());
                        } catch (IOException | InterruptedException ignored) {
                            // the probe hung up
                        }
                    });
                }
            } catch (IOException ignored) {
                // stopped
            }
        });
        return server.getLocalPort();
    }

    interface PeerBehaviour {
        void run(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private ProbeFailure failure(int port) {
        long started = System.nanoTime();
        ProbeFailure f = assertThrows(ProbeFailure.class, () -> prober.probe(endpoint("127.0.0.1", port, "")));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < DEADLINE.toMillis() + 3000, "took " + millis + " ms");
        return f;
    }

    @Test
    void eachProbingThreadDrawsFromAGeneratorOfItsOwn() throws Exception {
        java.security.SecureRandom mine = prober.random();
        org.junit.jupiter.api.Assertions.assertSame(mine, prober.random(), "one per thread, kept");
        org.junit.jupiter.api.Assertions.assertNotSame(mine, peers.submit(prober::random).get(),
                "no lock shared by all checks");
        assertEquals("DRBG", mine.getAlgorithm());
    }

    /** Nagle's algorithm off: a TLS 1.2 client's last flight (three writes) must not wait 40 ms for a delayed ACK. */
    @Test
    void sendsEverySmallWriteAtOnce() throws Exception {
        int port = peer((in, out) -> Thread.sleep(60_000));
        ProbeBounds bounds = new ProbeBounds(Duration.ofSeconds(2), DEADLINE, Duration.ofSeconds(10), 10, 1024, false);
        try (BoundedSocket socket = new BoundedSocket(1024)) {
            TlsProber.connect(socket, endpoint("127.0.0.1", port, ""), bounds, System.nanoTime() + DEADLINE.toNanos());
            assertTrue(socket.isConnected());
            assertTrue(socket.getTcpNoDelay(), "TCP_NODELAY");
        }
    }

    /** A JDK TLS server on loopback presenting {@code chain}. */
    private static SSLServerSocket tlsServer(java.security.PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, "pw".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
    }

    /** One context per probing thread, yet every check is a full handshake: a TLS 1.2 server that would resume
     *  a session (its cache on) sees a new session each time. */
    @Test
    void resumesNoSessionOfTheThreadsEarlierCheck() throws Exception {
        TestPki leaf = TestPki.selfSigned(TestPki.Spec.of("again.example.org", Instant.now()).withNames("again.example.org"));
        SSLServerSocket server = tlsServer(leaf.key().getPrivate(), leaf.cert());
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        java.util.concurrent.BlockingQueue<String> sessions = new java.util.concurrent.LinkedBlockingQueue<>();
        peers.execute(() -> {
            try (server) {
                for (int i = 0; i < 2; i++) {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                        sessions.add(java.util.HexFormat.of().formatHex(s.getSession().getId()));
                        s.getInputStream().read();
                    } catch (IOException ignored) {
                        // the probe closes
                    }
                }
            } catch (IOException ignored) {
                // stopped
            }
        });
        Endpoint e = endpoint("127.0.0.1", server.getLocalPort(), "again.example.org");
        assertEquals("TLSv1.2", prober.probe(e).probe().protocol());
        assertEquals(List.of(leaf.cert()), prober.probe(e).chain());
        String first = sessions.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        String second = sessions.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(first != null && second != null && !first.equals(second), first + " then " + second);
    }

    @Test
    void capturesTheChainAsPresentedWithSni() throws Exception {
        Instant now = Instant.now();
        TestPki root = TestPki.selfSigned(TestPki.Spec.of("Prober Root", now).asCa());
        TestPki intermediate = root.issue(TestPki.Spec.of("Prober Intermediate", now).asCa());
        TestPki leaf = intermediate.issue(TestPki.Spec.of("probe.example.org", now).withNames("probe.example.org"));
        SSLServerSocket server = tlsServer(leaf.key().getPrivate(), leaf.cert(), intermediate.cert());
        java.util.concurrent.CompletableFuture<String> sniSeen = new java.util.concurrent.CompletableFuture<>();
        peers.execute(() -> {
            try (server; SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
                sniSeen.complete(String.valueOf(((javax.net.ssl.ExtendedSSLSession) s.getSession()).getRequestedServerNames()));
                s.getInputStream().read();
            } catch (IOException ignored) {
                // the probe closes
            }
        });
        Capture c = prober.probe(endpoint("127.0.0.1", server.getLocalPort(), "probe.example.org"));
        assertEquals(List.of(leaf.cert(), intermediate.cert()), c.chain());
        assertEquals("TLSv1.3", c.probe().protocol());
        assertEquals("127.0.0.1:" + server.getLocalPort(), c.probe().peerAddress());
        String sni = sniSeen.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(sni.contains("probe.example.org"), sni);
    }

    @Test
    void aPortThatAcceptsAndNeverSpeaksEndsAtTheDeadline() throws IOException {
        int port = peer((in, out) -> Thread.sleep(60_000));
        ProbeFailure f = failure(port);
        assertEquals(LocationFailure.HANDSHAKE_FAILED, f.failure());
        assertEquals("tls://127.0.0.1:" + port + ": handshake not done within 4000 ms", f.getMessage());
    }

    @Test
    void aHandshakeTricklingOneByteAtATimeEndsAtTheDeadline() throws IOException {
        int port = peer((in, out) -> {
            in.read(new byte[512]);
            byte[] hello = {0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x00, 0x3c, 0x03, 0x03};
            for (byte b : hello) {
                out.write(b);
                out.flush();
                Thread.sleep(600);
            }
            Thread.sleep(60_000);
        });
        ProbeFailure f = failure(port);
        assertEquals(LocationFailure.HANDSHAKE_FAILED, f.failure());
        assertTrue(f.getMessage().endsWith("handshake not done within 4000 ms"), f.getMessage());
    }

    @Test
    void garbageAfterTheClientHelloFailsTheHandshakeWithItsReason() throws IOException {
        int port = peer((in, out) -> {
            in.read(new byte[512]);
            out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        });
        ProbeFailure f = failure(port);
        assertEquals(LocationFailure.HANDSHAKE_FAILED, f.failure());
        assertTrue(f.getMessage().startsWith("tls://127.0.0.1:" + port + ": handshake failed: "), f.getMessage());
    }

    @Test
    void aHandshakeLargerThanTheBoundIsTooLarge() throws IOException {
        int port = peer((in, out) -> {
            in.read(new byte[512]);
            // a handshake message of 1 MB (a megabyte certificate) in full records
            byte[] record = new byte[5 + 16_384];
            record[0] = 0x16;
            record[1] = 0x03;
            record[2] = 0x03;
            record[3] = 0x40;
            record[5] = 0x0b;
            record[6] = 0x10;
            out.write(record);
            record[5] = 0;
            record[6] = 0;
            for (int i = 0; i < 64; i++) {
                out.write(record);
            }
            out.flush();
        });
        ProbeFailure f = failure(port);
        assertEquals(LocationFailure.TOO_LARGE, f.failure(), f.getMessage());
    }

    @Test
    void theSocketReadsNoMoreThanItsBound() throws IOException {
        int port = peer((in, out) -> out.write(new byte[100_000]));
        try (BoundedSocket s = new BoundedSocket(65_536)) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            InputStream in = s.getInputStream();
            BoundedSocket.TooLargeException e = assertThrows(BoundedSocket.TooLargeException.class,
                    () -> in.readAllBytes());
            assertEquals("the peer sent more than 65536 bytes", e.getMessage());
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeFailure f = failure(port);
        assertEquals(LocationFailure.UNREACHABLE, f.failure());
        assertTrue(f.getMessage().startsWith("tls://127.0.0.1:" + port + ": no connection ("), f.getMessage());
        ProbeFailure unknown = assertThrows(ProbeFailure.class,
                () -> prober.probe(endpoint("no-such-host.invalid", 443, "")));
        assertEquals("tls://no-such-host.invalid:443: the host no-such-host.invalid does not resolve",
                unknown.getMessage());
    }
}
