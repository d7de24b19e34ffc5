package org.certwatch.source.tls.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.source.tls.internal.starttls.StartTlsDialects;

/**
 * One check of one endpoint: resolve the host (every time), connect, STARTTLS when the protocol asks for it, a
 * handshake with SNI that accepts any chain, and the chain as presented. A watchdog closes the socket at the
 * check's deadline, so a peer that trickles a byte a second or never speaks ends the check in bounded time; the
 * socket reads at most the configured bytes. Thread-safe: each check has its own sockets; each probing thread its
 * own TLS context, whose session is invalidated as soon as a handshake ends, so no session is resumed and every
 * check sees the chain the server sends now.
 */
final class TlsProber {
    private static final TrustManager[] TRUST_ALL = {new TrustAll()};

    private final ScheduledExecutorService watchdog;
    private final Supplier<ProbeBounds> bounds;
    /**
     * A generator per probing thread: the JDK's default ({@code NativePRNG}) serialises all its callers on one lock
     * and a handshake draws from it several times (client random, key shares), so sixteen checks queued on it.
     */
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(TlsProber::newRandom);
    /** A context per probing thread, made once: a context per check cost more than the rest of the check's own
     *  work around the handshake (its session caches, its configuration). */
    private final ThreadLocal<SSLContext> contexts = ThreadLocal.withInitial(this::newContext);
    /** The sockets of the checks under way, closed by {@link #abortAll()} when the source stops. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TlsProber(ScheduledExecutorService watchdog, Supplier<ProbeBounds> bounds) {
        this.watchdog = watchdog;
        this.bounds = bounds;
    }

    /** The name sent as SNI: the endpoint's SNI name, else its host unless that is an address literal. */
    static String sniName(Endpoint e) {
        return !e.sniName().isEmpty() ? e.sniName() : HostNames.literal(e.host()).isPresent() ? "" : e.host();
    }

    /** The name the leaf must be for: the SNI name, else the host (an address literal then matches IP SANs). */
    static String expectedName(Endpoint e) {
        return e.sniName().isEmpty() ? e.host() : e.sniName();
    }

    Capture probe(Endpoint e) throws ProbeFailure {
        ProbeBounds b = bounds.get();
        long started = System.nanoTime();
        long deadline = started + b.deadline().toNanos();
        Capture capture = handshake(e, b, started, deadline);
        if (!b.checkOldProtocols()) {
            return capture;
        }
        long legacyDeadline = System.nanoTime() + b.deadline().toNanos();
        return new Capture(capture.chain(), capture.stapledOcsp(), capture.probe(), oldProtocol(e, b, legacyDeadline));
    }

    private Capture handshake(Endpoint e, ProbeBounds b, long started, long deadline) throws ProbeFailure {
        AtomicBoolean expired = new AtomicBoolean();
        BoundedSocket plain = new BoundedSocket(b.maxHandshakeBytes());
        Guard guard = guard(plain, deadline, expired);
        String stage = "connect";
        try (plain) {
            InetSocketAddress peer = connect(plain, e, b, deadline);
            stage = "STARTTLS";
            startTls(plain, e, deadline);
            stage = "handshake";
            SSLSocket ssl = tlsSocket(plain, e, b);
            ssl.startHandshake();
            SSLSession session = ssl.getSession();
            // out of the thread's cache before anything can fail: the next check of this host must not resume it
            session.invalidate();
            Certificate[] presented = session.getPeerCertificates();
            if (presented.length > b.maxCertificates()) {
                throw new ProbeFailure(LocationFailure.TOO_LARGE, e.address() + ": the chain has " + presented.length
                        + " certificates, more than max.certificates " + b.maxCertificates());
            }
            List<X509Certificate> chain = new ArrayList<>(presented.length);
            for (Certificate c : presented) {
                chain.add((X509Certificate) c);
            }
            List<byte[]> stapled = session instanceof ExtendedSSLSession x ? x.getStatusResponses() : List.of();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            EndpointProbe probe = new EndpointProbe(session.getProtocol(), session.getCipherSuite(), took,
                    text(peer), !stapled.isEmpty());
            ssl.close();
            return new Capture(List.copyOf(chain), List.copyOf(stapled), probe, Optional.empty());
        } catch (IOException | RuntimeException failure) {
            throw classify(e, b, stage, failure, expired.get());
        } finally {
            guard.cancel();
        }
    }

    /** A second connection offering at most TLS 1.1; any failure means it is not offered. */
    private Optional<String> oldProtocol(Endpoint e, ProbeBounds b, long deadline) {
        AtomicBoolean expired = new AtomicBoolean();
        BoundedSocket plain = new BoundedSocket(b.maxHandshakeBytes());
        Guard guard = guard(plain, deadline, expired);
        try (plain) {
            connect(plain, e, b, deadline);
            startTls(plain, e, deadline);
            plain.setSoTimeout((int) b.readTimeout().toMillis());
            return LegacyHello.offered(plain.getInputStream(), plain.getOutputStream(), sniName(e), random.get());
        } catch (IOException | ProbeFailure | RuntimeException refused) {
            return Optional.empty();
        } finally {
            guard.cancel();
        }
    }

    /** The calling thread's generator. */
    SecureRandom random() {
        return random.get();
    }

    private SSLContext newContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, TRUST_ALL, random.get());
            return context;
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("no TLS context: " + unavailable.getMessage(), unavailable);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("no DRBG (every Java 9+ JDK has one)", unavailable);
        }
    }

    /** Ends every check under way now (they fail; nothing is reported once the source is stopping). */
    void abortAll() {
        for (Socket s : open) {
            close(s);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all there is to do
        }
    }

    /** Closes the socket at the deadline; cancelling the returned guard also forgets the socket. */
    private Guard guard(Socket socket, long deadline, AtomicBoolean expired) {
        open.add(socket);
        ScheduledFuture<?> closer = watchdog.schedule(() -> {
            expired.set(true);
            close(socket);
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new Guard(closer, () -> open.remove(socket));
    }

    /** The watchdog of one socket. */
    private record Guard(ScheduledFuture<?> closer, Runnable forget) {
        void cancel() {
            closer.cancel(false);
            forget.run();
        }
    }

    /**
     * Tries the host's addresses in the resolver's order until one accepts; every small write then goes out at once
     * (TCP_NODELAY). The JDK's TLS writes each record of a flight separately (a TLS 1.2 client's ClientKeyExchange,
     * ChangeCipherSpec and Finished: three writes); with Nagle's algorithm on (the JDK's default) the second waits
     * for the peer's acknowledgement of the first, which the peer delays (40 ms on Linux) while it waits for the
     * rest of the flight: every TLS 1.2 handshake stalled 40 ms, which held 16 concurrent probes to about 350/s on
     * an idle machine. Go's net package (the blackbox exporter's) sets it by default.
     */
    static InetSocketAddress connect(BoundedSocket socket, Endpoint e, ProbeBounds b, long deadline)
            throws IOException, ProbeFailure {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(e.host());
        } catch (UnknownHostException unknown) {
            throw new ProbeFailure(LocationFailure.UNREACHABLE, e.address() + ": the host " + e.host()
                    + " does not resolve");
        }
        IOException last = null;
        for (InetAddress a : addresses) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            InetSocketAddress target = new InetSocketAddress(a, e.port());
            try {
                socket.setTcpNoDelay(true);
                socket.connect(target, (int) Math.max(1, Math.min(b.connectTimeout().toMillis(), left)));
                socket.setSoTimeout((int) b.readTimeout().toMillis());
                return target;
            } catch (IOException refused) {
                last = refused;
                if (socket.isClosed()) {
                    break;
                }
            }
        }
        throw new ProbeFailure(LocationFailure.UNREACHABLE, e.address() + ": no connection"
                + (last == null ? "" : " (" + message(last) + ")"));
    }

    private static void startTls(Socket plain, Endpoint e, long deadline) throws IOException, ProbeFailure {
        if (e.protocol() == EndpointProtocol.TLS) {
            return;
        }
        Instant until = Instant.now().plusNanos(Math.max(0, deadline - System.nanoTime()));
        try {
            StartTlsDialects.of(e.protocol()).upgrade(plain, TlsProber.expectedName(e), until);
        } catch (IllegalArgumentException unsupported) {
            throw new ProbeFailure(LocationFailure.HANDSHAKE_FAILED, e.address() + ": " + unsupported.getMessage());
        }
    }

    private SSLSocket tlsSocket(Socket plain, Endpoint e, ProbeBounds b) throws IOException {
        SSLContext context = contexts.get();
        String sni = sniName(e);
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain,
                sni.isEmpty() ? e.host() : sni, e.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setServerNames(sni.isEmpty() ? List.of() : List.of(new SNIHostName(sni)));
        p.setEndpointIdentificationAlgorithm(null);
        ssl.setSSLParameters(p);
        ssl.setSoTimeout((int) b.readTimeout().toMillis());
        return ssl;
    }

    private static ProbeFailure classify(Endpoint e, ProbeBounds b, String stage, Exception failure, boolean expired) {
        String where = e.address() + ": ";
        if (expired) {
            return new ProbeFailure(LocationFailure.HANDSHAKE_FAILED, where + stage + " not done within "
                    + b.deadline().toMillis() + " ms");
        }
        Throwable tooLarge = find(failure, BoundedSocket.TooLargeException.class);
        if (tooLarge != null) {
            return new ProbeFailure(LocationFailure.TOO_LARGE, where + tooLarge.getMessage()
                    + " (max.handshake.bytes) during the " + stage);
        }
        String message = message(failure);
        // the JDK's own bounds (jdk.tls.maxHandshakeMessageSize, jdk.tls.maxCertificateChainLength) say it in words
        if (message.contains("exceeds the maximum allowed")) {
            return new ProbeFailure(LocationFailure.TOO_LARGE, where + message);
        }
        if (failure instanceof SocketTimeoutException) {
            return new ProbeFailure(LocationFailure.HANDSHAKE_FAILED, where + "no answer within "
                    + b.readTimeout().toMillis() + " ms during the " + stage);
        }
        return new ProbeFailure(LocationFailure.HANDSHAKE_FAILED, where + stage + " failed: " + message);
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
