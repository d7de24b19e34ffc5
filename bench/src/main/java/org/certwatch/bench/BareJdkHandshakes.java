package org.certwatch.bench;

import static org.certwatch.bench.ProbeEndpoints.NAMES;
import static org.certwatch.bench.ProbeEndpoints.name;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.certwatch.source.tls.internal.TrustAll;

/**
 * The probe benchmark's second anchor, this JVM's floor: the endpoints' handshakes in a bare loop of JDK
 * {@link SSLSocket}s, {@link ProbeEndpoints#CONCURRENCY} threads, nothing else (no scheduler, watchdog, findings or
 * report). It offers what the probe offers (the same JVM's protocols, named groups and provider, the default suites,
 * SNI, any chain accepted by the probe's own trust manager, TCP_NODELAY) and resumes no session: a context and a
 * DRBG per thread, each session invalidated after its handshake, and nginx keeps no session cache and issues no
 * tickets.
 */
final class BareJdkHandshakes {
    private BareJdkHandshakes() {
    }

    /** Handshakes per second over every name on {@code port}, each of which must negotiate {@code protocol}; adds
     *  this JVM's CPU milliseconds per handshake to {@code cpu}. */
    static double rate(int port, String protocol, List<Double> cpu) throws Exception {
        long self = ProcessHandle.current().pid();
        // as the probe: a context and a DRBG per thread (one context's default NativePRNG is one lock for all 16)
        ThreadLocal<SSLContext> contexts = ThreadLocal.withInitial(() -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, SecureRandom.getInstance("DRBG"));
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        double cpu0 = ProcessCpu.millis(self);
        long t0 = System.nanoTime();
        ProbeEndpoints.each(i -> handshake(contexts.get(), port, name(i), protocol));
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.add((ProcessCpu.millis(self) - cpu0) / NAMES);
        return NAMES / seconds;
    }

    private static void handshake(SSLContext context, int port, String name, String protocol) throws IOException {
        try (Socket plain = new Socket()) {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, name, port, true);
            SSLParameters p = ssl.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(name)));
            ssl.setSSLParameters(p);
            ssl.startHandshake();
            SSLSession session = ssl.getSession();
            if (session.getPeerCertificates().length == 0) {
                throw new AssertionError(name + ": no chain");
            }
            if (!protocol.equals(session.getProtocol())) {
                throw new AssertionError(name + ": " + session.getProtocol() + " negotiated, not " + protocol);
            }
            session.invalidate();
            ssl.close();
        }
    }
}
