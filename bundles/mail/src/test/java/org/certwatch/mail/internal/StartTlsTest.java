package org.certwatch.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS + AUTH against Debian's aiosmtpd (GreenMail has no STARTTLS), started on a free high
 * port; plus the bad-input cases: a rejected recipient, an unreachable server, a server that hangs.
 */
class StartTlsTest {
    @TempDir
    static Path dir;
    @TempDir
    Path data;
    static Process server;
    static int port;
    static Path inbox;
    static TestCertificates certificates;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir);
        inbox = Files.createDirectories(dir.resolve("inbox"));
        Path script = dir.resolve("starttls_server.py");
        try (InputStream in = StartTlsTest.class.getResourceAsStream("/starttls_server.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Debian's interpreter: python3-aiosmtpd lives there, not in a pyenv/venv python on PATH
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        server = new ProcessBuilder(python, script.toString(), certificates.cert().toString(),
                certificates.key().toString(), Integer.toString(port), "certwatch", "s3cret", inbox.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            lines.add(line);
        }
        if (line == null) {
            throw new IllegalStateException("aiosmtpd did not start (install python3-aiosmtpd): " + lines);
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (Exception ignored) {
                // server gone
            }
        }, "aiosmtpd-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    private MailComponent component(String host, int p, MailSecurity security, String password, int timeout)
            throws Exception {
        MailComponent c = new MailComponent(data.resolve("mail/settings.properties"));
        c.set(new MailSettings(host, p, security, password == null ? "" : "certwatch", password, false,
                "certwatch@example.org", certificates.pem(), "", timeout), "test");
        return c;
    }

    private static List<Path> received() throws Exception {
        try (Stream<Path> s = Files.list(inbox)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    @Test
    void startTlsWithAuthenticationDelivers() throws Exception {
        MailComponent c = component("127.0.0.1", port, MailSecurity.STARTTLS, "s3cret", 10);
        int before = received().size();
        c.deliver(GreenMailTest.notice("starttls-1", List.of("ops@example.org")));
        List<Path> after = received();
        assertEquals(before + 1, after.size());
        String raw = Files.readString(after.get(after.size() - 1));
        assertTrue(raw.contains("Message-ID: <starttls-1@certwatch>"), raw);
        assertTrue(raw.contains("multipart/alternative"), raw);
        String answer = c.sendTest("ops@example.org");
        assertTrue(answer.startsWith("250 2.0.0 Ok: queued as aiosmtpd-"), answer);
    }

    @Test
    void withoutStartTlsTheServerRefusesAuthAndTheErrorSaysSo() throws Exception {
        MailComponent c = component("127.0.0.1", port, MailSecurity.NONE, "s3cret", 10);
        DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("ops@example.org"));
        assertFalse(e.permanent(), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
    }

    @Test
    void wrongPasswordReportsTheServersExactAnswer() throws Exception {
        MailComponent c = component("127.0.0.1", port, MailSecurity.STARTTLS, "wrong", 10);
        DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("ops@example.org"));
        assertTrue(e.getMessage().contains("535 5.7.8 Authentication credentials invalid"), e.getMessage());
        assertFalse(e.permanent());
    }

    @Test
    void rejectedRecipientIsAPermanentFailureNamingTheAnswer() throws Exception {
        MailComponent c = component("127.0.0.1", port, MailSecurity.STARTTLS, "s3cret", 10);
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> c.deliver(GreenMailTest.notice("rejected-1", List.of("reject-me@example.org"))));
        assertTrue(e.permanent(), e.getMessage());
        assertTrue(e.getMessage().contains("550 5.1.1 <reject-me@example.org>: Recipient address rejected"),
                e.getMessage());
    }

    @Test
    void unreachableServerIsATransientConnectionError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        MailComponent c = component("127.0.0.1", closed, MailSecurity.NONE, null, 5);
        DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("ops@example.org"));
        assertFalse(e.permanent());
        assertTrue(e.getMessage().contains("Connection refused") || e.getMessage().contains("connect"),
                e.getMessage());
    }

    @Test
    void hangingServerTimesOutWithinTheBound() throws Exception {
        try (ServerSocket hang = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hang.accept()); // accept and never answer: no greeting
                    }
                } catch (Exception ignored) {
                    // closed
                }
            }, "hanging-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
            MailComponent c = component("127.0.0.1", hang.getLocalPort(), MailSecurity.NONE, null, 1);
            long start = System.nanoTime();
            DeliveryException e = assertThrows(DeliveryException.class, () -> c.sendTest("ops@example.org"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(e.permanent());
            assertTrue(millis < 15_000, "bounded: " + millis + " ms");
            assertTrue(e.getMessage().toLowerCase().contains("timed out") || e.getMessage().contains("timeout"),
                    e.getMessage());
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
