package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Two servers of the real distribution on one PostgreSQL (the shared fixture): the SMTP settings and a notification
 * defined on one are the other's, and a test notice queued on the server that does not lead is mailed once, by the
 * leader alone (GreenMail, in this JVM, is the SMTP server). The two start at the same moment on the empty database,
 * and when the leader stops the other takes over and mails.
 */
class SharedMonitorIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void twoServersShareTheNotificationsAndOnlyTheLeaderMails() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        try (PostgresServer database = PostgresServer.start();
                CertwatchServer a = database.prepareServer("shared-monitor-a");
                CertwatchServer b = database.prepareServer("shared-monitor-b")) {
            // at the same moment on the empty database, as an installation's servers may: both create the predefined
            // notifications (the later one's refused write once failed its monitor and left it never mailing)
            a.start();
            b.start();
            a.awaitLog(line -> line.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            b.awaitLog(line -> line.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            withControl(a);
            withControl(b);
            int smtp = greenMail.getSmtp().getPort();

            MonitorControl.ctl(a, "mail 127.0.0.1 " + smtp + " NONE certwatch@example.org");
            CertwatchServer.await("B has A's SMTP settings", WAIT,
                    () -> MonitorControl.ctl(b, "mailhost").equals("127.0.0.1:" + smtp));
            String id = MonitorControl.ctl(a, "notify AGENT 30 ops@example.org All");
            CertwatchServer.await("B lists A's notification " + id, WAIT,
                    () -> List.of(MonitorControl.ctl(b, "notifications").split(" ")).contains(id));

            // queued on each server in turn: whichever leads mails both, the other none
            String fromB = MonitorControl.ctl(b, "sendtestnotice " + id);
            String fromA = MonitorControl.ctl(a, "sendtestnotice " + id);
            CertwatchServer.await("both test notices acknowledged on both servers", WAIT,
                    () -> MonitorControl.ctl(a, "outbox").equals("0") && MonitorControl.ctl(b, "outbox").equals("0"));
            assertEquals(2, greenMail.getReceivedMessages().length, "each test notice mailed once");
            for (String notice : List.of(fromA, fromB)) {
                boolean byA = a.logContains(line -> line.contains("notice " + notice + " mailed"));
                boolean byB = b.logContains(line -> line.contains("notice " + notice + " mailed"));
                assertEquals(1, (byA ? 1 : 0) + (byB ? 1 : 0), notice + " mailed by exactly one server");
            }
            boolean aLeads = a.logContains(line -> line.contains("notice " + fromB + " mailed"));
            assertEquals(aLeads, a.logContains(line -> line.contains("notice " + fromA + " mailed")),
                    "one leader mailed both");
            for (CertwatchServer server : List.of(a, b)) {
                assertFalse(server.logContains(line -> line.contains("expiry monitor not started")),
                        "both monitors started at the first attempt");
            }

            // the leader stops (hands the lease back): the other takes over, says so and mails
            CertwatchServer leader = aLeads ? a : b;
            CertwatchServer next = aLeads ? b : a;
            assertTrue(leader.logContains(line -> line.contains("outbox: leading, ")), "the leader said it delivers");
            leader.stop(WAIT);
            next.awaitLog(line -> line.contains("outbox: leading, "), WAIT);
            String afterTakeover = MonitorControl.ctl(next, "sendtestnotice " + id);
            CertwatchServer.await("the new leader mailed " + afterTakeover, WAIT,
                    () -> next.logContains(line -> line.contains("notice " + afterTakeover + " mailed")));
            assertEquals(3, greenMail.getReceivedMessages().length, "the new leader's notice mailed once");
        } finally {
            greenMail.stop();
        }
    }


    private static void withControl(CertwatchServer server) throws IOException {
        CertwatchServer.placeAtomically(TestBundles.monitorControl(), server.deploy().resolve("org.certwatch.monitorctl.jar"));
        CertwatchServer.await("monitor control", WAIT,
                () -> server.probe("org.certwatch.monitorctl", "evaluated").orElse("").startsWith("ok"));
    }
}
