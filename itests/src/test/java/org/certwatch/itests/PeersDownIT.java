package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * The inform receiver (net-snmp's snmptrapd) and the SMTP server are both down while notices fall
 * due, for several retry rounds; once they are back every notice arrives, exactly once per notice id
 * on each channel.
 */
class PeersDownIT {

    @Test
    void everyNoticeArrivesOnceWhenTheInformReceiverAndTheSmtpServerReturn() throws Exception {
        int trapPort = CertwatchServer.freeUdpPort();
        int smtpPort = CertwatchServer.freeTcpPort();
        try (CertwatchServer server = CertwatchServer.prepare("peers-down")) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:" + trapPort
                    + ",v2c,inform,public\ninformTimeoutMillis = 2000\ninformRetries = 0\n"); // no retransmission: a late ack would show twice
            // short backoff, so "a while" is several retry rounds within the test's time
            Files.writeString(server.etc().resolve("org.certwatch.monitor.cfg"),
                    "backoff.initial.ms = 200\nbackoff.max.ms = 1000\n");
            server.startAndAwaitReady();
            Faults.deployMonitorControl(server);
            Faults.deployStoreDriver(server);
            MonitorControl.ctl(server, "mail 127.0.0.1 " + smtpPort + " NONE certwatch@example.org 60"); // 60 s: a starved SMTP peer is not a lost mail
            String notification = MonitorControl.ctl(server, "notify AGENT 30 ops@example.org All snmp");
            int count = 12;
            long[] range = Faults.issue(server, count, 20);
            CertwatchServer.await("every notice waits in the outbox", Faults.WAIT,
                    () -> MonitorControl.ctl(server, "outbox").startsWith(count + " "));
            // both channels failed and retried for a while
            int mailRetries = retries(server, "mail:");
            int snmpRetries = retries(server, "snmp:");
            CertwatchServer.await("several retry rounds on both channels", Faults.WAIT,
                    () -> retries(server, "mail:") >= mailRetries + 3 && retries(server, "snmp:") >= snmpRetries + 3);
            assertTrue(MonitorControl.ctl(server, "outbox").startsWith(count + " "), "nothing delivered while both are down");

            GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            Path work = server.data().getParent().resolve("trapd");
            Process trapd = Faults.snmptrapd(work, trapPort);
            try {
                CertwatchServer.await("the outbox drained once both are back", Faults.WAIT,
                        () -> MonitorControl.ctl(server, "outbox").equals("0"));
                List<String> mails = CrashIT.messageIds(smtp);
                Map<String, Integer> mailed = new HashMap<>();
                mails.forEach(id -> mailed.merge(id, 1, Integer::sum));
                List<String> problems = new ArrayList<>();
                for (long id = range[0]; id <= range[1]; id++) {
                    String notice = notification + ".cert" + id + ".d30";
                    int m = mailed.getOrDefault("<" + notice + "@certwatch>", 0);
                    int t = Faults.informs(work, notice);
                    if (m != 1 || t != 1) {
                        problems.add(notice + ": " + m + " mail(s), " + t + " inform(s)");
                    }
                }
                assertEquals(List.of(), problems, "each notice exactly once per channel");
                assertEquals(count, mails.size());
            } finally {
                trapd.destroy();
                trapd.waitFor();
                smtp.stop();
            }
        }
    }

    /** How many delivery attempts of this channel failed so far (the outbox logs each with its retry delay). */
    private static int retries(CertwatchServer server, String channel) {
        return (int) server.output().stream().filter(l -> l.contains(" not delivered, retry in ") && l.contains(channel)).count();
    }
}
