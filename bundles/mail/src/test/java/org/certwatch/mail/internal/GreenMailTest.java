package org.certwatch.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.certwatch.api.Role;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain SMTP and SMTPS with AUTH against GreenMail, a real SMTP server, on ephemeral loopback ports. Every wait is a
 * generous bound, not an expectation of speed: on a loaded machine GreenMail's SMTPS start (its keystore, its TLS
 * server socket) took longer than GreenMail's default 2 s, a cold TLS handshake longer than a 5 s SMTP timeout, and
 * GreenMail stores a message only after it has answered 250 to it.
 */
class GreenMailTest {
    /** How long anything here may take on a loaded machine; nothing waits for it to pass when all is well. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int TIMEOUT_SECONDS = (int) BOUND.toSeconds();
    @TempDir
    static Path certDir;
    @TempDir
    Path data;
    static GreenMail greenMail;
    static TestCertificates certificates;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(certDir);
        System.setProperty("greenmail.tls.keystore.file", certificates.pkcs12().toString());
        System.setProperty("greenmail.tls.keystore.password", certificates.password());
        ServerSetup[] setups = {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)};
        for (ServerSetup setup : setups) {
            setup.setServerStartupTimeout(BOUND.toMillis());
        }
        greenMail = new GreenMail(setups);
        greenMail.start();
        greenMail.setUser("certwatch@example.org", "certwatch", "s3cret");
    }

    @AfterAll
    static void stop() {
        greenMail.stop();
    }

    static Notice notice(String id, List<String> to) {
        return new Notice(id, NoticeKind.CERTIFICATE_EXPIRING, Instant.parse("2030-01-12T00:00:00Z"), "agents", 7,
                "3E9", "CN=pc-17", "CN=certwatch CA", Role.AGENT, "pc-17", "00ff17",
                Instant.parse("2030-04-11T00:00:00Z"), 89, 90, "All/Berlin",
                "AGENT certificate CN=pc-17 expires in 89 days", "/certificates/7", to, false, 0, 0, "", "");
    }

    private MailComponent component(MailSecurity security, int port, String user, String password) {
        MailComponent c = new MailComponent(data.resolve("mail/settings.properties"));
        c.set(new MailSettings("127.0.0.1", port, security, user, password, false, "certwatch@example.org",
                security == MailSecurity.NONE ? "" : pem(), "https://certwatch.example:8443", TIMEOUT_SECONDS), "test");
        return c;
    }

    private static String pem() {
        try {
            return certificates.pem();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void plainSmtpDeliversTextAndHtmlWithTheNoticeIdAsMessageId() throws Exception {
        MailComponent c = component(MailSecurity.NONE, greenMail.getSmtp().getPort(), "", null);
        c.deliver(notice("n1.cert7.d90", List.of("ops@example.org", "pki@example.org")));
        MimeMessage m = received("<n1.cert7.d90@certwatch>", 2).get(0); // one copy per recipient's mailbox
        assertEquals("[certwatch] AGENT certificate CN=pc-17 expires in 89 days", m.getSubject());
        Multipart parts = (Multipart) m.getContent();
        assertEquals(2, parts.getCount());
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        // serial and fingerprint as openssl prints them (a notice written before spelt the serial "3E9")
        for (String fact : List.of("CN=pc-17", "AGENT", "pc-17", "CN=certwatch CA", "03E9",
                "00:FF:17",
                "2030-04-11 00:00:00 UTC", "89", "https://certwatch.example:8443/certificates/7", "What to do next")) {
            assertTrue(text.contains(fact), fact + " in " + text);
            assertTrue(html.contains(fact), fact + " in " + html);
        }
    }

    @Test
    void smtpsWithAuthentication() throws Exception {
        MailComponent c = component(MailSecurity.TLS, greenMail.getSmtps().getPort(), "certwatch", "s3cret");
        c.deliver(notice("tls-1", List.of("secure@example.org")));
        received("<tls-1@certwatch>", 1);
        String answer = c.sendTest("secure@example.org");
        assertTrue(answer.startsWith("250"), answer);
    }

    @Test
    void wrongPasswordIsAClearTransientError() {
        MailComponent c = component(MailSecurity.TLS, greenMail.getSmtps().getPort(), "certwatch", "wrong");
        DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("x@example.org"));
        assertTrue(e.getMessage().contains("535"), e.getMessage());
        assertFalse(e.permanent(), "fixing the password lets the notice go out");
    }

    @Test
    void untrustedServerCertificateIsRefused() {
        MailComponent c = new MailComponent(data.resolve("mail/settings.properties"));
        c.set(new MailSettings("127.0.0.1", greenMail.getSmtps().getPort(), MailSecurity.TLS, "", null, false,
                "certwatch@example.org", "", "", TIMEOUT_SECONDS), "test");
        DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("x@example.org"));
        assertTrue(e.getMessage().toLowerCase().contains("certif") || e.getMessage().contains("PKIX"),
                e.getMessage());
    }

    @Test
    void settingsPersistOwnerOnlyAndNeverReturnThePassword() throws Exception {
        Path file = data.resolve("mail/settings.properties");
        component(MailSecurity.TLS, 465, "certwatch", "s3cret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        MailComponent reopened = new MailComponent(file);
        MailSettings s = reopened.get();
        assertEquals(null, s.password());
        assertTrue(s.passwordSet());
        assertEquals(465, s.port());
        reopened.set(new MailSettings(s.host(), 587, MailSecurity.STARTTLS, s.user(), null, false, s.sender(), "",
                "", 10), "test");
        assertTrue(Files.readString(file).contains("password=s3cret"), "null keeps the stored password");
        MailSettings before = reopened.get();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> reopened.set(
                new MailSettings("mail.example.org", 70000, MailSecurity.NONE, "", null, false, "a@b.org", "", "", 5),
                "test"));
        assertTrue(bad.getMessage().startsWith("port"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reopened.set(new MailSettings("mail.example.org", 25,
                MailSecurity.NONE, "", null, false, "not an address", "", "", 5), "test"));
        assertThrows(IllegalArgumentException.class, () -> reopened.set(new MailSettings("mail.example.org", 25,
                MailSecurity.NONE, "", null, false, "a@b.org", "-----BEGIN CERTIFICATE-----\ngarbage", "", 5),
                "test"));
        assertEquals(before, new MailComponent(file).get(), "refused settings changed nothing");
    }

    @Test
    void messageIdIsStableAndWellFormed() {
        assertEquals("<n1.cert7.d90@certwatch>", MailComponent.messageId("n1.cert7.d90"));
        assertEquals("<a_b@certwatch>", MailComponent.messageId("a b"));
    }

    /**
     * The {@code copies} messages GreenMail stored with this Message-ID (it stores them after answering 250, so
     * {@code deliver} may return first), waited for up to {@link #BOUND}; earlier tests' messages stay beside them.
     */
    private static List<MimeMessage> received(String messageId, int copies) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            MimeMessage[] all = greenMail.getReceivedMessages();
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage m : all) {
                if (messageId.equals(m.getMessageID())) {
                    found.add(m);
                }
            }
            long left = deadline - System.nanoTime();
            if (found.size() >= copies || left <= 0) {
                assertEquals(copies, found.size(), messageId + " among " + ids(all));
                return found;
            }
            greenMail.waitForIncomingEmail(Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1_000) + 1, all.length + 1);
        }
    }

    private static List<String> ids(MimeMessage[] messages) {
        return Stream.of(messages).map(m -> {
            try {
                return m.getMessageID() + " " + GreenMailUtil.getHeaders(m).length();
            } catch (Exception e) {
                return e.toString();
            }
        }).toList();
    }
}
