package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * A deployed bundle's jar (the mail bundle's) replaced by a corrupt one — a copy cut off half-way —
 * while the server runs: the log names the file, SNMP and the web keep answering, and putting the
 * good jar back brings mail back without a restart.
 */
class CorruptJarIT {
    private static final String USER = "corrupt";
    private static final String AUTH = "corrupt-auth-secret";
    private static final String PRIV = "corrupt-priv-secret";

    @Test
    void aCorruptBundleJarLeavesTheRestWorkingAndFixingItRecovers() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (CertwatchServer server = CertwatchServer.prepare("corrupt-jar").env("CERTWATCH_ADMIN_PASSWORD", "admin-password")
                .env("CERTWATCH_SNMP_USER", USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV).startAndAwaitReady()) {
            server.awaitLog(l -> l.contains("SNMP agent listening"), Faults.WAIT);
            server.awaitLog(l -> l.contains("web: listening on https://"), Faults.WAIT);
            Faults.deployMonitorControl(server);
            MonitorControl.ctl(server, "mail 127.0.0.1 " + smtp.getSmtp().getPort() + " NONE certwatch@example.org 60");
            assertTrue(MonitorControl.ctl(server, "sendtest ops@example.org").startsWith("250"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")),
                    Files.createDirectories(server.data().getParent().resolve("web")));
            web.awaitSignIn(WebClient.basic("admin"), Faults.WAIT);
            String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
            assertRestAnswers(web, agent);

            Path jar = server.deploy().resolve("org.certwatch.mail.jar");
            byte[] good = Files.readAllBytes(jar);
            Path variants = Files.createDirectories(server.data().getParent().resolve("variants"));
            Path cut = Files.write(variants.resolve("cut.jar"), Arrays.copyOf(good, good.length / 2));
            int from = server.output().size();
            CertwatchServer.placeAtomically(cut, jar);
            String logged = Faults.awaitLogSince(server, from,
                    l -> l.contains(" ERROR ") && l.contains("org.certwatch.mail.jar"), Faults.WAIT);
            System.out.println("logged: " + logged);
            assertRestAnswers(web, agent);
            assertTrue(server.process().isAlive());

            Path fixed = Files.write(variants.resolve("fixed.jar"), good);
            CertwatchServer.placeAtomically(fixed, jar);
            CertwatchServer.await("mail works again", Faults.WAIT, () -> {
                String answer = server.probe("org.certwatch.monitorctl", "sendtest ops@example.org").orElse("");
                return answer.startsWith("ok 250");
            });
            assertRestAnswers(web, agent);
            List<String> errors = Faults.since(server, from).stream().filter(l -> l.contains(" ERROR ")).toList();
            assertTrue(errors.stream().allMatch(l -> l.contains("org.certwatch.mail.jar")),
                    "the only errors name the corrupt file: " + errors);
        } finally {
            smtp.stop();
        }
    }

    private static void assertRestAnswers(WebClient web, String agent) throws Exception {
        NetSnmp.Result snmp = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent, "CERTWATCH-MIB::cwCertTotalCount.0");
        assertEquals(0, snmp.exit(), snmp.output());
        assertTrue(snmp.output().contains("cwCertTotalCount.0 = Gauge32: "), snmp.output());
        WebClient.Reply status = web.get("/api/v1/status", "Authorization", WebClient.basic("admin"));
        assertEquals(200, status.status(), status.body());
    }
}
