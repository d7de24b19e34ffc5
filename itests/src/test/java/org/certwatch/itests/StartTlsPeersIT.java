package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.source.tls.internal.starttls.StartTlsDialect;
import org.certwatch.source.tls.internal.starttls.StartTlsDialects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, STARTTLS: certwatch's dialects against the real servers ({@link StartTlsPeers}): each upgrade ends in a
 * handshake that presents the peer's own certificate; a peer of another protocol is refused with what it said; a
 * server that never answers costs the deadline and no more.
 */
@ExtendWith(StartTlsPeers.Resolver.class)
class StartTlsPeersIT {
    /** Generous: eight builds share two cores here. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = EndpointProtocol.class, names = "TLS", mode = EnumSource.Mode.EXCLUDE)
    void theDialectUpgradesTheRealServer(EndpointProtocol protocol, StartTlsPeers peers) throws Exception {
        StartTlsPeers.Peer peer = peers.peer(protocol);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), peer.port())) {
            plain.setSoTimeout((int) DEADLINE.toMillis());
            StartTlsDialects.of(protocol).upgrade(plain, "localhost", Instant.now().plus(DEADLINE));
            try (SSLSocket tls = (SSLSocket) trusting(peer.certificate()).getSocketFactory()
                    .createSocket(plain, "localhost", peer.port(), true)) {
                tls.startHandshake();
                X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                assertEquals(peer.fingerprint(), StartTlsPeers.fingerprint(leaf), protocol + " presented "
                        + leaf.getSubjectX500Principal());
            }
        }
    }

    @Test
    void aServerOfAnotherProtocolIsRefusedWithWhatItSaid(StartTlsPeers peers) throws Exception {
        // vsftpd greets like an SMTP server, then wants a login
        assertTrue(refusal(EndpointProtocol.SMTP, peers.peer(EndpointProtocol.FTP).port())
                .matches("smtp localhost:\\d+: server refused EHLO \\(530 .*\\)"));
        // aiosmtpd speaks first, where PostgreSQL answers one byte
        assertTrue(refusal(EndpointProtocol.POSTGRESQL, peers.peer(EndpointProtocol.SMTP).port())
                .matches("postgresql localhost:\\d+: server answered 0x32 to the SSLRequest, not S or N"));
        // slapd hangs up on a line of text
        assertTrue(refusal(EndpointProtocol.POP3, peers.peer(EndpointProtocol.LDAP).port())
                .matches("pop3 localhost:\\d+: (no answer in time|server closed the connection) while waiting for "
                        + "the greeting"));
    }

    @Test
    void aServerThatNeverAnswersCostsTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (EndpointProtocol protocol : EndpointProtocol.values()) {
                if (protocol == EndpointProtocol.TLS) {
                    continue;
                }
                StartTlsDialect dialect = StartTlsDialects.of(protocol);
                try (Socket plain = new Socket(silent.getInetAddress(), silent.getLocalPort());
                        Socket accepted = silent.accept()) {
                    long started = System.nanoTime();
                    IOException e = assertThrows(IOException.class,
                            () -> dialect.upgrade(plain, "localhost", Instant.now().plus(deadline)));
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertTrue(e.getMessage().contains(": no answer in time while waiting for the "), e.getMessage());
                    assertTrue(millis >= deadline.toMillis() - 100 && millis < deadline.toMillis() + 5_000,
                            protocol + " took " + millis + " ms");
                }
            }
        }
    }

    private static String refusal(EndpointProtocol protocol, int port) throws IOException {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return assertThrows(IOException.class, () -> StartTlsDialects.of(protocol)
                    .upgrade(plain, "localhost", Instant.now().plus(Duration.ofSeconds(5)))).getMessage();
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("peer", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
