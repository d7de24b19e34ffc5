package org.certwatch.source.tls.internal.starttls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.testing.SelfSignedKeyStore;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each dialect against a scripted server: the upgrade and a real handshake after it, refusals, garbage, silence. */
class StartTlsDialectsTest {
    /** StartTLS's ExtendedRequest as RFC 4511 spells it, written out by hand. */
    private static final String LDAP_START_TLS = "301d02010177188016" + HexFormat.of()
            .formatHex("1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    static Path dir;
    static SSLContext serverTls;
    static SSLContext clientTls;
    static Certificate serverCertificate;

    @BeforeAll
    static void keys() throws Exception {
        KeyStore store = SelfSignedKeyStore.p256(dir, "CN=localhost");
        serverCertificate = store.getCertificate("peer");
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(store, SelfSignedKeyStore.PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
    }

    @Test
    void smtpUpgradesAfterAMultiLineEhlo() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.SMTP, peer -> {
            peer.send("220-mail.example.org ESMTP\r\n220 second greeting line\r\n");
            String ehlo = peer.readLine();
            assertTrue(ehlo.matches("EHLO \\[127\\.0\\.0\\.1]"), ehlo);
            peer.send("250-mail.example.org\r\n250-PIPELINING\r\n250-starttls\r\n250 SIZE 10240000\r\n");
            assertEquals("STARTTLS", peer.readLine());
            peer.send("220 2.0.0 Ready to start TLS\r\n");
        });
    }

    @Test
    void imapAsksForCapabilitiesWhenTheGreetingHasNone() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.IMAP, peer -> {
            peer.send("* OK IMAP ready\r\n");
            assertEquals("c CAPABILITY", peer.readLine());
            peer.send("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\nc OK done\r\n");
            assertEquals("a STARTTLS", peer.readLine());
            peer.send("* NOTE an untagged line first\r\na OK Begin TLS negotiation now\r\n");
        });
    }

    @Test
    void imapTakesTheGreetingsCapabilities() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.IMAP, peer -> {
            peer.send("* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS AUTH=PLAIN] Dovecot ready.\r\n");
            assertEquals("a STARTTLS", peer.readLine());
            peer.send("a OK Begin TLS negotiation now.\r\n");
        });
    }

    @Test
    void pop3UpgradesWithStls() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.POP3, peer -> {
            peer.send("+OK Dovecot ready.\r\n");
            assertEquals("STLS", peer.readLine());
            peer.send("+OK Begin TLS negotiation now.\r\n");
        });
    }

    @Test
    void ftpWaitsOutA120AndUpgradesWithAuthTls() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.FTP, peer -> {
            peer.send("120 ready in 1 minute\r\n220-Welcome\r\n more welcome\r\n220 (vsFTPd 3.0.3)\r\n");
            assertEquals("AUTH TLS", peer.readLine());
            peer.send("234 Proceed with negotiation.\r\n");
        });
    }

    @Test
    void ldapSendsTheStartTlsExtendedRequest() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.LDAP, peer -> {
            assertEquals(LDAP_START_TLS, HexFormat.of().formatHex(peer.read(31)));
            // ExtendedResponse: success, empty matchedDN and diagnosticMessage, the responseName echoed
            peer.send(HexFormat.of().parseHex("3024020101781f0a0100040004008a16" + HexFormat.of()
                    .formatHex("1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII))));
        });
    }

    @Test
    void postgresqlSendsTheSslRequest() throws Exception {
        upgradesAndHandshakes(EndpointProtocol.POSTGRESQL, peer -> {
            assertArrayEquals(ByteBuffer.allocate(8).putInt(8).putInt(80877103).array(), peer.read(8));
            peer.send("S");
        });
    }

    @Test
    void smtpWithoutStartTlsSaysWhatTheServerOffers() throws Exception {
        String message = refused(EndpointProtocol.SMTP, peer -> {
            peer.send("220 mail.example.org ESMTP\r\n");
            peer.readLine();
            peer.send("250-mail.example.org\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n");
            peer.readLine();
        });
        assertTrue(message.matches("smtp localhost:\\d+: server does not offer STARTTLS \\(250 lines: "
                + "mail.example.org, PIPELINING, SIZE 10240000\\)"), message);
    }

    @Test
    void refusalsQuoteTheServer() throws Exception {
        assertRefusal(EndpointProtocol.SMTP, "server refused STARTTLS (454 4.7.0 TLS not available)", peer -> {
            peer.send("220 hi\r\n");
            peer.readLine();
            peer.send("250-hi\r\n250 STARTTLS\r\n");
            peer.readLine();
            peer.send("454 4.7.0 TLS not available\r\n");
        });
        assertRefusal(EndpointProtocol.SMTP, "server refused the session (554 no service)",
                peer -> peer.send("554 no service\r\n"));
        assertRefusal(EndpointProtocol.IMAP, "server does not offer STARTTLS (capabilities: IMAP4rev1 AUTH=PLAIN)",
                peer -> peer.send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"));
        assertRefusal(EndpointProtocol.IMAP, "server refused STARTTLS (a NO not now)", peer -> {
            peer.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
            peer.readLine();
            peer.send("a NO not now\r\n");
        });
        assertRefusal(EndpointProtocol.IMAP, "server greets the client as authenticated already, where STARTTLS is "
                + "not allowed (* PREAUTH welcome back)", peer -> peer.send("* PREAUTH welcome back\r\n"));
        assertRefusal(EndpointProtocol.IMAP, "server refused the session (* BYE too many connections)",
                peer -> peer.send("* BYE too many connections\r\n"));
        assertRefusal(EndpointProtocol.POP3, "server refused STLS (-ERR Unknown command)", peer -> {
            peer.send("+OK ready\r\n");
            peer.readLine();
            peer.send("-ERR Unknown command\r\n");
        });
        assertRefusal(EndpointProtocol.FTP, "server refused AUTH TLS (530 Please login with USER and PASS.)", peer -> {
            peer.send("220 (vsFTPd 3.0.3)\r\n");
            peer.readLine();
            peer.send("530 Please login with USER and PASS.\r\n");
        });
        assertRefusal(EndpointProtocol.POSTGRESQL, "server does not offer SSL (answered N to the SSLRequest: ssl is off)",
                peer -> {
                    peer.read(8);
                    peer.send("N");
                });
        assertRefusal(EndpointProtocol.POSTGRESQL, "server refused the SSLRequest (sorry, too many clients)", peer -> {
            peer.read(8);
            peer.send("Esorry, too many clients\0");
        });
    }

    @Test
    void ldapRefusalNamesTheResultCode() throws Exception {
        String diagnostic = "unsupported extended operation";
        byte[] response = ldapResponse(1, 2, diagnostic);
        assertRefusal(EndpointProtocol.LDAP,
                "server refused StartTLS (resultCode 2 protocolError: unsupported extended operation)", peer -> {
                    peer.read(31);
                    peer.send(response);
                });
        assertRefusal(EndpointProtocol.LDAP, "server answered message 7, not our StartTLS (1)", peer -> {
            peer.read(31);
            peer.send(ldapResponse(7, 0, ""));
        });
        assertRefusal(EndpointProtocol.LDAP, "server disconnected (resultCode 52 unavailable: shutting down)",
                peer -> {
                    peer.read(31);
                    peer.send(ldapResponse(0, 52, "shutting down"));
                });
    }

    @Test
    void garbageIsNamed() throws Exception {
        assertRefusal(EndpointProtocol.SMTP, "server answered something else than a reply while waiting for the "
                + "greeting (HTTP/1.1 400 Bad Request)", peer -> peer.send("HTTP/1.1 400 Bad Request\r\n\r\n"));
        assertRefusal(EndpointProtocol.LDAP, "server answered 0x48, not an LDAP message", peer -> {
            peer.read(31);
            peer.send("HTTP/1.1 400 Bad Request\r\n\r\n");
        });
        assertRefusal(EndpointProtocol.LDAP, "server's answer to StartTLS is not an ExtendedResponse "
                + "(tag 0x65 where 0x78 belongs)", peer -> {
                    peer.read(31);
                    peer.send(HexFormat.of().parseHex("300c02010165070a010004000400"));
                });
        assertRefusal(EndpointProtocol.LDAP, "server's answer to StartTLS is not an ExtendedResponse "
                + "(an element of 100 bytes in 3)", peer -> {
                    peer.read(31);
                    peer.send(HexFormat.of().parseHex("300a02010178050a64"));
                    peer.send(new byte[3]);
                });
        assertRefusal(EndpointProtocol.POSTGRESQL, "server answered 0x48 to the SSLRequest, not S or N", peer -> {
            peer.read(8);
            peer.send("HTTP/1.1 400");
        });
        assertRefusal(EndpointProtocol.SMTP, "server sent a line longer than 4096 bytes while waiting for the greeting",
                peer -> peer.send("220 " + "x".repeat(5000)));
        assertRefusal(EndpointProtocol.SMTP, "server's reply runs longer than 100 lines while waiting for the greeting",
                peer -> peer.send("220-more\r\n".repeat(200)));
        assertRefusal(EndpointProtocol.SMTP, "server closed the connection while waiting for the EHLO answer "
                + "(received so far: 250-half)", peer -> {
                    peer.send("220 hi\r\n");
                    peer.readLine();
                    peer.send("250-half");
                });
    }

    @Test
    void bytesAfterTheAnswerAreRefusedNotTakenForTls() throws Exception {
        assertRefusal(EndpointProtocol.POP3, "server sent 14 bytes after its STLS answer (+OK injected\\r\\n)", peer -> {
            peer.send("+OK ready\r\n");
            peer.readLine();
            peer.send("+OK go\r\n+OK injected\r\n");
        });
    }

    @Test
    void aSilentServerFailsAtTheDeadline() throws Exception {
        for (EndpointProtocol protocol : new EndpointProtocol[] {EndpointProtocol.SMTP, EndpointProtocol.LDAP,
            EndpointProtocol.POSTGRESQL}) {
            long started = System.nanoTime();
            String message = refused(protocol, Duration.ofMillis(400), peer -> peer.read(1000));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(message.contains(": no answer in time while waiting for the "), message);
            assertTrue(tookMillis < 5_000, tookMillis + " ms");
        }
    }

    @Test
    void aTricklingServerFailsAtTheDeadlineNotAtItsLastByte() throws Exception {
        long started = System.nanoTime();
        String message = refused(EndpointProtocol.SMTP, Duration.ofMillis(600), peer -> {
            byte[] endless = "220-trickle\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; ; i = (i + 1) % endless.length) {
                peer.send(new byte[] {endless[i]});
                Thread.sleep(20);
            }
        });
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(message.contains("no answer in time while waiting for the greeting"),
                message);
        assertTrue(tookMillis < 5_000, tookMillis + " ms");
    }

    @Test
    void theSocketsOwnReadTimeoutStillBoundsEachRead() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> peer.read(1000)); Socket plain = server.connect()) {
            plain.setSoTimeout(300);
            long started = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> StartTlsDialects.of(EndpointProtocol.IMAP)
                    .upgrade(plain, "localhost", Instant.now().plus(Duration.ofMinutes(1))));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(e.getMessage().endsWith(": no answer in time while waiting for the greeting"), e.getMessage());
            assertTrue(tookMillis < 10_000, tookMillis + " ms");
        }
    }

    @Test
    void aDeadlineAlreadyPastReadsNothing() throws Exception {
        SettableClock clock = SettableClock.atSystemTime();
        try (ScriptedServer server = new ScriptedServer(peer -> peer.send("220 hi\r\n"));
                Socket socket = server.connect()) {
            Instant deadline = clock.instant();
            clock.advance(Duration.ofSeconds(1));
            IOException e = assertThrows(IOException.class,
                    () -> StartTlsDialects.of(EndpointProtocol.SMTP, clock).upgrade(socket, "localhost", deadline));
            assertTrue(e.getMessage().endsWith("no answer in time while waiting for the greeting"), e.getMessage());
        }
    }

    @Test
    void directTlsHasNoDialect() {
        assertThrows(IllegalArgumentException.class, () -> StartTlsDialects.of(EndpointProtocol.TLS));
    }

    private static void upgradesAndHandshakes(EndpointProtocol protocol, ScriptedServer.Script dialogue)
            throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            dialogue.play(peer);
            try (SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(peer.socket(), null, true)) {
                tls.setUseClientMode(false);
                tls.startHandshake();
                tls.getOutputStream().write('!');
                tls.getOutputStream().flush();
                tls.getInputStream().read();
            }
        }); Socket plain = server.connect()) {
            plain.setSoTimeout(7_000);
            StartTlsDialect dialect = StartTlsDialects.of(protocol);
            assertEquals(protocol, dialect.protocol());
            dialect.upgrade(plain, "localhost", Instant.now().plusSeconds(10));
            assertEquals(7_000, plain.getSoTimeout(), "the socket's own read timeout is back");
            try (SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(plain, "localhost",
                    plain.getPort(), true)) {
                tls.startHandshake();
                assertEquals(serverCertificate, tls.getSession().getPeerCertificates()[0]);
                assertEquals('!', tls.getInputStream().read());
                tls.getOutputStream().write('.');
            }
            server.close();
            assertNull(server.failure());
        }
    }

    private static void assertRefusal(EndpointProtocol protocol, String expected, ScriptedServer.Script dialogue)
            throws Exception {
        String message = refused(protocol, dialogue);
        String prefix = protocol.name().toLowerCase(java.util.Locale.ROOT) + " localhost:";
        assertTrue(message.startsWith(prefix) && message.contains(": " + expected), message);
    }

    private static String refused(EndpointProtocol protocol, ScriptedServer.Script dialogue) throws Exception {
        return refused(protocol, Duration.ofSeconds(10), dialogue);
    }

    private static String refused(EndpointProtocol protocol, Duration timeout, ScriptedServer.Script dialogue)
            throws Exception {
        try (ScriptedServer server = new ScriptedServer(dialogue); Socket plain = server.connect()) {
            StartTlsDialect dialect = StartTlsDialects.of(protocol, Clock.systemUTC());
            return assertThrows(IOException.class,
                    () -> dialect.upgrade(plain, "localhost", Instant.now().plus(timeout))).getMessage();
        }
    }

    /** LDAPMessage { messageId, ExtendedResponse { resultCode, "", diagnostic } } with short lengths. */
    private static byte[] ldapResponse(int messageId, int resultCode, String diagnostic) {
        byte[] text = diagnostic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(14 + text.length);
        b.put((byte) 0x30).put((byte) (12 + text.length)).put(new byte[] {2, 1, (byte) messageId});
        b.put((byte) 0x78).put((byte) (7 + text.length)).put(new byte[] {0x0a, 1, (byte) resultCode, 4, 0, 4});
        b.put((byte) text.length).put(text);
        return b.array();
    }
}
