package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * End to end: the test clock crosses a notification threshold, the monitor's outbox hands the notice
 * to the SNMP channel, and snmptrapd — down when the notice falls due — receives the inform once it
 * comes up, decoded with CERTWATCH-MIB.
 */
class SnmpNotificationIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CONTROL = "org.certwatch.monitorctl";

    @Test
    void thresholdCrossedWhileTheReceiverIsDownArrivesAsAnInformWhenItComesUp() throws Exception {
        int trapPort = CertwatchServer.freeUdpPort();
        try (CertwatchServer server = CertwatchServer.prepare("snmp-notify")) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:" + trapPort
                    + ",v2c,inform,public\ninformTimeoutMillis = 500\ninformRetries = 1\n");
            server.startAndAwaitReady();
            CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("org.certwatch.testclock.jar"));
            CertwatchServer.placeAtomically(TestBundles.monitorControl(), server.deploy().resolve("org.certwatch.monitorctl.jar"));
            CertwatchServer.await("test clock and monitor control", WAIT,
                    () -> Files.exists(server.data().resolve("testclock.port"))
                            && server.probe(CONTROL, "evaluated").orElse("").startsWith("ok"));

            Instant t0 = Instant.now();
            String id = MonitorControl.ctl(server, "issue AGENT pc-snmp.example.org All " + t0.plus(Duration.ofDays(100))).split(" ")[0];
            MonitorControl.ctl(server, "notify AGENT 90,30 - All snmp");
            CertwatchServer.await("the monitor knows the certificate", WAIT,
                    () -> MonitorControl.ctl(server, "health " + id).startsWith("VALID"));

            // day 11: the 90-day threshold is crossed while no trap receiver listens
            assertTrue(server.clock("at " + t0.plus(Duration.ofDays(11)).plusSeconds(60)).startsWith("ok"));
            CertwatchServer.await("the notice waits in the outbox", WAIT, () -> MonitorControl.ctl(server, "outbox").startsWith("1 "));
            String noticeId = MonitorControl.ctl(server, "outbox").split(" ")[1];

            Path work = Files.createDirectories(server.data().getParent().resolve("trapd"));
            Files.writeString(work.resolve("snmptrapd.conf"), "authCommunity log public\n");
            Path log = work.resolve("trapd.log");
            Process trapd = new ProcessBuilder("snmptrapd", "-f", "-Lo", "-n", "-C", "-c",
                    work.resolve("snmptrapd.conf").toString(), "-M", NetSnmp.mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB",
                    "-p", work.resolve("pid").toString(), "udp:127.0.0.1:" + trapPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                CertwatchServer.await("the outbox retried and the inform was acknowledged", WAIT,
                        () -> MonitorControl.ctl(server, "outbox").equals("0") && MonitorControl.readOrEmpty(log).contains(noticeId));
                String received = MonitorControl.readOrEmpty(log);
                assertTrue(received.contains("snmpTrapOID.0 = OID: CERTWATCH-MIB::cwCertExpiring"), received);
                assertTrue(received.contains("CERTWATCH-MIB::cwCertRole." + id + " = INTEGER: agent(2)"), received);
                assertTrue(received.contains("CERTWATCH-MIB::cwCertDaysLeft." + id + " = INTEGER: 88"), received);
                assertEquals(1, received.split("cwNoticeId.0 = STRING: " + noticeId, -1).length - 1,
                        "delivered once: " + received);
            } finally {
                trapd.destroy();
                trapd.waitFor();
            }
        }
    }
}
