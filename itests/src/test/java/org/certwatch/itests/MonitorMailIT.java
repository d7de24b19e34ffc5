package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry monitor and the mail channel in the real distribution: the test clock moves time,
 * GreenMail (in this JVM, on a loopback ephemeral port) is the SMTP server the server's mail settings
 * point at, and {@code testing/monitorctl} issues certificates and creates the notification.
 */
class MonitorMailIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static GreenMail greenMail;

    @BeforeAll
    static void smtp() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    @AfterAll
    static void stopSmtp() {
        greenMail.stop();
    }

    /**
     * Deploys the test clock and monitor control once; after a restart they are still in deploy/ (placing them
     * again would make FileInstall update them late and reset the clock's offset in the middle of a step).
     */
    private static void deployTestBundles(CertwatchServer server) throws IOException {
        Path clock = server.deploy().resolve("org.certwatch.testclock.jar");
        if (!Files.exists(clock)) {
            CertwatchServer.placeAtomically(TestBundles.testClock(), clock);
        }
        Path control = server.deploy().resolve("org.certwatch.monitorctl.jar");
        if (!Files.exists(control)) {
            CertwatchServer.placeAtomically(TestBundles.monitorControl(), control);
        }
        CertwatchServer.await("test clock and monitor control", WAIT,
                () -> Files.exists(server.data().resolve("testclock.port"))
                        && server.probe("org.certwatch.monitorctl", "evaluated").orElse("").startsWith("ok"));
    }

    /** Moves the test clock to T0 + days and waits until the monitor evaluated at that time and the outbox drained. */
    private static void day(CertwatchServer server, Instant t0, int days, boolean drain) throws IOException {
        Instant target = t0.plus(Duration.ofDays(days)).plusSeconds(60);
        String answer = server.clock("at " + target);
        assertTrue(answer.startsWith("ok"), answer);
        CertwatchServer.await("monitor evaluated day " + days, WAIT, () -> {
            String evaluated = MonitorControl.ctl(server, "evaluated");
            return !Instant.parse(evaluated).isBefore(target);
        });
        if (drain) {
            CertwatchServer.await("outbox drained at day " + days, WAIT, () -> MonitorControl.ctl(server, "outbox").equals("0"));
        }
    }

    /** Store events reach the monitor asynchronously: wait until it knows the certificate before time moves on. */
    private static void known(CertwatchServer server, String id) {
        CertwatchServer.await("monitor knows certificate " + id, WAIT,
                () -> server.probe("org.certwatch.monitorctl", "health " + id).orElse("").startsWith("ok"));
    }

    private static List<String> messageIds() {
        List<String> ids = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                ids.add(m.getMessageID());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }

    @Test
    void agentCertificateNoticesAcrossRestartUndeployAndGroups() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("monitor-mail").startAndAwaitReady()) {
            deployTestBundles(server);
            MonitorControl.ctl(server, "mail 127.0.0.1 " + greenMail.getSmtp().getPort() + " NONE certwatch@example.org");
            Instant t0 = Instant.parse(server.clock("now").split(" ")[1]);
            Instant notAfter = t0.plus(Duration.ofDays(100));
            String a = MonitorControl.ctl(server, "issue AGENT pc-a All/A " + notAfter).split(" ")[0];
            String b = MonitorControl.ctl(server, "issue AGENT pc-b All/B " + notAfter).split(" ")[0];
            known(server, a);
            known(server, b);
            String notification = MonitorControl.ctl(server, "notify AGENT 90,30,7,1 ops@example.org All/A");
            String prefix = "<" + notification + ".cert";

            day(server, t0, 11, true);
            assertEquals(List.of(prefix + a + ".d90@certwatch>"), messageIds(), "day 11: the 90-day notice");
            assertEquals("EXPIRING 88", MonitorControl.ctl(server, "health " + a), "day 11 + 1 min: 88 whole days left");
            MimeMessage first = greenMail.getReceivedMessages()[0];
            assertTrue(first.getSubject().startsWith("[certwatch] AGENT certificate ")
                    && first.getSubject().contains("pc-a") && first.getSubject().endsWith(" expires in 88 days"),
                    first.getSubject());
            day(server, t0, 61, true);
            assertEquals(1, messageIds().size(), "day 61: nothing");

            // stopped at day 61, started at day 84: the 30-day threshold crossed while down is notified once on start
            assertEquals(0, server.stop(Duration.ofSeconds(30)));
            Instant day84 = t0.plus(Duration.ofDays(84)).plusSeconds(60);
            Files.writeString(server.data().resolve("testclock.initial-offset"),
                    Duration.between(Instant.now(), day84).toString());
            server.start().awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            CertwatchServer.await("monitor control after restart", WAIT,
                    () -> server.probe("org.certwatch.monitorctl", "evaluated").orElse("").startsWith("ok"));
            CertwatchServer.await("caught up on start", WAIT,
                    () -> !Instant.parse(MonitorControl.ctl(server, "evaluated")).isBefore(day84) && MonitorControl.ctl(server, "outbox").equals("0"));
            assertEquals(List.of(prefix + a + ".d90@certwatch>", prefix + a + ".d30@certwatch>"), messageIds());
            Files.delete(server.data().resolve("testclock.initial-offset"));
            assertEquals(0, server.stop(Duration.ofSeconds(30)));
            server.start().awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            deployTestBundles(server);
            day(server, t0, 84, true);
            assertEquals(2, messageIds().size(), "clean restart: no duplicate");

            // the mail feature undeployed while notices fall due: they wait in the outbox
            Files.delete(server.deploy().resolve("mail.feature.xml"));
            CertwatchServer.await("mail bundle gone", WAIT, () -> MonitorControl.ctl(server, "mailservice").equals("false"));
            String c = MonitorControl.ctl(server, "issue AGENT pc-c All/A/Lab " + t0.plus(Duration.ofDays(95))).split(" ")[0];
            known(server, c);
            day(server, t0, 90, false);
            day(server, t0, 101, false);
            try {
                CertwatchServer.await("four notices waiting", WAIT, () -> MonitorControl.ctl(server, "outbox").startsWith("4 "));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; outbox " + MonitorControl.ctl(server, "outbox") + ", health a "
                        + MonitorControl.ctl(server, "health " + a) + ", c " + MonitorControl.ctl(server, "health " + c) + ", clock "
                        + server.clock("now"), e);
            }
            List<String> waiting = Arrays.asList(MonitorControl.ctl(server, "outbox").split(" ")).subList(1, 5);
            assertEquals(2, messageIds().size(), "nothing mailed while the mail bundle is away");
            assertEquals("EXPIRED -2", MonitorControl.ctl(server, "health " + a), "day 101 + 1 min: notAfter was 1 day 1 min ago");

            // redeployed: all delivered, in order
            CertwatchServer.placeAtomically(server.home().resolve("features/mail.feature.xml"),
                    server.deploy().resolve("mail.feature.xml"));
            CertwatchServer.await("outbox drained after redeploy", WAIT, () -> MonitorControl.ctl(server, "outbox").equals("0"));
            List<String> expected = new ArrayList<>(List.of(prefix + a + ".d90@certwatch>",
                    prefix + a + ".d30@certwatch>"));
            for (String id : waiting) {
                expected.add("<" + id + "@certwatch>");
            }
            assertEquals(expected, messageIds(), "delivered in the order they fell due");
            assertTrue(waiting.contains(notification + ".cert" + a + ".expired"), waiting.toString());
            assertTrue(waiting.contains(notification + ".cert" + c + ".d30"), waiting.toString());
            assertTrue(waiting.contains(notification + ".cert" + c + ".d7"), waiting.toString());
            assertTrue(waiting.contains(notification + ".cert" + c + ".expired"), waiting.toString());
            // group scoping: the sibling group's certificate never produced a mail
            assertTrue(messageIds().stream().noneMatch(id -> id.contains(".cert" + b + ".")), messageIds().toString());
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                assertEquals("ops@example.org", m.getAllRecipients()[0].toString());
            }
        }
    }

    @Test
    void unreachableSmtpServerLeavesTheNoticeWaitingWithItsErrorUntilTheSettingsAreFixed() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("monitor-smtp-down").startAndAwaitReady()) {
            deployTestBundles(server);
            int closed = CertwatchServer.freeTcpPort();
            MonitorControl.ctl(server, "mail 127.0.0.1 " + closed + " NONE certwatch@example.org");
            String answer = server.probe("org.certwatch.monitorctl", "sendtest ops@example.org").orElseThrow();
            assertTrue(answer.startsWith("error SMTP 127.0.0.1:" + closed) && answer.contains("Connection refused"),
                    answer);
            Instant now = Instant.parse(server.clock("now").split(" ")[1]);
            String notification = MonitorControl.ctl(server, "notify AGENT 30 down@example.org All");
            String id = MonitorControl.ctl(server, "issue AGENT pc-down All " + now.plus(Duration.ofDays(20))).split(" ")[0];
            CertwatchServer.await("the notice waits with the connection error", WAIT,
                    () -> MonitorControl.ctl(server, "outbox").equals("1 " + notification + ".cert" + id + ".d30")
                            && MonitorControl.ctl(server, "lasterror").contains("Connection refused"));
            MonitorControl.ctl(server, "mail 127.0.0.1 " + greenMail.getSmtp().getPort() + " NONE certwatch@example.org");
            CertwatchServer.await("delivered once the settings are fixed", WAIT, () -> MonitorControl.ctl(server, "outbox").equals("0"));
            assertTrue(messageIds().contains("<" + notification + ".cert" + id + ".d30@certwatch>"), messageIds().toString());
            assertEquals(1, greenMail.getReceivedMessages().length);
            assertTrue(MonitorControl.ctl(server, "sendtest ops@example.org").startsWith("250"));
        }
    }
}
