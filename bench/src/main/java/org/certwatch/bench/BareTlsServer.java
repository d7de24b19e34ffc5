package org.certwatch.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.certwatch.commons.tls.TlsPolicy;
import org.certwatch.crypto.internal.HandshakeCryptoProvider;

/**
 * The fleet benchmark's anchor for the server's TLS: a bare JDK server in a JVM of its own (started by
 * {@link FleetBench} with the certwatch server's JVM options) that answers every connection's one HTTP request
 * with a fixed body and closes, as the agent endpoint does with {@code Connection: close}. It is configured as the
 * agent endpoint's TLS is: the server's own key and chain (a PKCS#12 the store exported), client certificates
 * asked for and checked against the server's CA (the JDK's PKIX trust manager: the floor's own check, where
 * certwatch's looks the certificate up in the store), TLS 1.3 and 1.2 with the policy's suites, the JVM's
 * default named groups and session tickets (no {@code jdk.tls} property set), sessions resumable for an hour,
 * and the handshake crypto provider first, as the server's crypto bundle installs it. What it leaves out is
 * everything certwatch does per replication: Jetty, the request's JSON, the store lookup, the computer's update
 * and its durable row. So the server's CPU per replication ÷ this one's is certwatch's own share over the JVM's
 * TLS floor.
 *
 * <p>Usage: {@code BareTlsServer P12 PASSWORD THREADS}; prints {@code listening PORT} once it accepts.
 */
public final class BareTlsServer {
    /** What every request is answered with: an answer of the endpoint's shape (the agent reads it as one). */
    static final byte[] ANSWER = ("{\"computerId\":0,\"name\":\"bare\",\"group\":\"All\","
            + "\"serverTime\":\"2026-12-05T00:00:00Z\",\"interval\":60}").getBytes(StandardCharsets.US_ASCII);
    private static final int SESSION_SECONDS = 3600;
    private static final int MAX_HEAD = 8192;

    private BareTlsServer() {
    }

    public static void main(String[] args) throws Exception {
        Security.insertProviderAt(new HandshakeCryptoProvider(), 1);
        char[] password = args[1].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            keys.load(in, password);
        }
        try (Running server = start(context(keys, password), Integer.parseInt(args[2]))) {
            PrintStream out = System.out;
            out.println("listening " + server.port());
            out.flush();
            server.acceptor().join(); // until the benchmark stops this process
        }
    }

    /** A server accepting on the loopback address, on its own accepting thread and its pool of workers. */
    record Running(SSLServerSocket socket, ExecutorService workers, Thread acceptor) implements AutoCloseable {
        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            workers.shutdownNow();
        }
    }

    static Running start(SSLContext context, int threads) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1024,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(TlsPolicy.protocols());
        server.setEnabledCipherSuites(TlsPolicy.cipherSuites(context));
        server.setWantClientAuth(true);
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    workers.execute(() -> serve(socket));
                }
            } catch (IOException | RejectedExecutionException closed) {
                // closed: the server stops
            }
        }, "bare-tls-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return new Running(server, workers, acceptor);
    }

    /** The server's key and chain; the chain's last certificate (the CA) is the one trust anchor for clients. */
    static SSLContext context(KeyStore keys, char[] password) throws Exception {
        String alias = keyAlias(keys);
        Certificate[] chain = keys.getCertificateChain(alias);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", (X509Certificate) chain[chain.length - 1]);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        context.getServerSessionContext().setSessionTimeout(SESSION_SECONDS);
        return context;
    }

    private static String keyAlias(KeyStore keys) throws Exception {
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw new IllegalArgumentException("the key store holds no key");
    }

    /** One connection: the handshake, one request read whole, the fixed answer in one write, closed. */
    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            // buffered as Jetty reads a record's bytes: not one call into the TLS socket per byte
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            int length = contentLength(in);
            in.readNBytes(length);
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + ANSWER.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] response = new byte[head.length + ANSWER.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(ANSWER, 0, response, head.length, ANSWER.length);
            OutputStream out = socket.getOutputStream();
            out.write(response);
            out.flush();
        } catch (IOException e) {
            System.err.println("bare TLS server: " + e);
        }
    }

    /** Reads the request head up to its blank line; its Content-Length (0 without one). */
    static int contentLength(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int last4 = 0; // the last four bytes read, to see "\r\n\r\n" without scanning the head again
        while (last4 != 0x0d0a0d0a) {
            int c = in.read();
            if (c < 0 || head.length() > MAX_HEAD) {
                throw new IOException("no complete request head");
            }
            head.append((char) c);
            last4 = last4 << 8 | c;
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }
}
