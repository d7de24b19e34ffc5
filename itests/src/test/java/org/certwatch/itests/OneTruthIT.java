package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 4: one certificate at a moved clock shows the same days left in the mail, the trap
 * (snmptrapd), the MIB (snmpget), the API and the metrics; a value that does not exist has no MIB
 * instance; CAs have metric series; a test notice is its own notification type and mail subject; each
 * action is one audit entry with millisecond times.
 */
class OneTruthIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String CONTROL = "org.certwatch.monitorctl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "truth";
    private static final String AUTH = "truth-auth-secret";
    private static final String PRIV = "truth-priv-secret";

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex + " in: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    @Test
    void oneCertificateShowsTheSameDaysLeftEverywhereAndATestIsNoAlarm() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int trapPort = CertwatchServer.freeUdpPort();
        try (CertwatchServer server = CertwatchServer.prepare("one-truth").env("CERTWATCH_ADMIN_PASSWORD", "admin-password")
                .env("CERTWATCH_SNMP_USER", USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:" + trapPort
                    + ",v2c,inform,public\ninformTimeoutMillis = 1000\ninformRetries = 2\n");
            Path work = Files.createDirectories(server.data().getParent().resolve("truth"));
            Files.writeString(work.resolve("snmptrapd.conf"), "authCommunity log public\n");
            Path trapLog = work.resolve("trapd.log");
            Process trapd = new ProcessBuilder("snmptrapd", "-f", "-Lo", "-n", "-C", "-c",
                    work.resolve("snmptrapd.conf").toString(), "-M", NetSnmp.mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB",
                    "-p", work.resolve("pid").toString(), "udp:127.0.0.1:" + trapPort)
                    .redirectErrorStream(true).redirectOutput(trapLog.toFile()).start();
            try {
                server.startAndAwaitReady();
                CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("org.certwatch.testclock.jar"));
                CertwatchServer.placeAtomically(TestBundles.monitorControl(),
                        server.deploy().resolve("org.certwatch.monitorctl.jar"));
                CertwatchServer.await("test clock and monitor control", WAIT,
                        () -> Files.exists(server.data().resolve("testclock.port"))
                                && server.probe(CONTROL, "evaluated").orElse("").startsWith("ok"));
                WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
                String admin = WebClient.basic("admin");
                web.awaitSignIn(admin, WAIT);
                MonitorControl.ctl(server, "mail 127.0.0.1 " + smtp.getSmtp().getPort() + " NONE certwatch@example.org");

                // notAfter a whole second, the clock moved to exactly 10 days before it: from the first
                // millisecond on, 9 days and some hours are left, and every figure must say 9
                Instant now = Instant.parse(server.clock("now").split(" ")[1]);
                Instant notAfter = now.plus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
                String id = MonitorControl.ctl(server, "issue AGENT pc-truth.example.org All " + notAfter).split(" ")[0];
                CertwatchServer.await("the monitor knows the certificate", WAIT,
                        () -> server.probe(CONTROL, "health " + id).orElse("").startsWith("ok "));
                String notification = MonitorControl.ctl(server, "notify AGENT 30 ops@example.org All snmp");
                assertTrue(server.clock("at " + notAfter.minus(Duration.ofDays(10))).startsWith("ok"));
                String noticeId = notification + ".cert" + id + ".d30";
                CertwatchServer.await("mail and inform delivered", WAIT, () -> MonitorControl.ctl(server, "outbox").equals("0")
                        && smtp.getReceivedMessages().length == 1 && MonitorControl.readOrEmpty(trapLog).contains(noticeId));

                MimeMessage mail = smtp.getReceivedMessages()[0];
                long mailSubject = number(mail.getSubject(), "expires in (-?\\d+) days");
                long mailBody = number(GreenMailUtil.getBody(mail), "Days left:\\s+(-?\\d+)");
                long trap = number(MonitorControl.readOrEmpty(trapLog), "cwCertDaysLeft\\." + id + " = INTEGER: (-?\\d+)");
                String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
                NetSnmp.Result mib = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent,
                        "CERTWATCH-MIB::cwCertDaysLeft." + id, "CERTWATCH-MIB::cwCertRevocationTime." + id);
                long mibDays = number(mib.output(), "cwCertDaysLeft\\." + id + " = INTEGER: (-?\\d+)");
                long api = JSON.readTree(web.get("/api/v1/certificates/" + id, "Authorization", admin).body())
                        .get("daysLeft").asLong();
                String metrics = web.get("/metrics", "Authorization", admin).body();
                long seconds = number(metrics, "x509_cert_expires_in_seconds\\{[^}]*id=\"" + id + "\"[^}]*\\} (-?\\d+)");
                List<Long> figures = List.of(mailSubject, mailBody, trap, mibDays, api, Math.floorDiv(seconds, 86_400L));
                assertEquals(List.of(9L, 9L, 9L, 9L, 9L, 9L), figures,
                        "mail subject, mail body, trap, MIB, API, metrics (seconds / 86400)");

                // an unrevoked certificate has no revocation time (no all-zero DateAndTime)
                assertTrue(mib.output().contains("cwCertRevocationTime." + id + " = No Such Instance"), mib.output());
                // CAs have series of their own, labelled role="CA"
                assertTrue(Pattern.compile("x509_cert_expires_in_seconds\\{[^}]*role=\"CA\"[^}]*\\} \\d+").matcher(metrics)
                        .find(), metrics);

                // a test notice: cwTestNotification, not cwCertExpiring; a mail subject that says test
                String test = JSON.readTree(web.send("POST", "/api/v1/notifications/" + notification + "/test", "",
                        "Authorization", admin).body()).get("noticeId").asText();
                CertwatchServer.await("the test notice delivered", WAIT, () -> MonitorControl.readOrEmpty(trapLog).contains(test)
                        && smtp.getReceivedMessages().length == 2 && MonitorControl.ctl(server, "outbox").equals("0"));
                String traps = MonitorControl.readOrEmpty(trapLog);
                String testTrap = traps.substring(traps.lastIndexOf("snmpTrapOID.0", traps.indexOf(test)));
                assertTrue(testTrap.startsWith("snmpTrapOID.0 = OID: CERTWATCH-MIB::cwTestNotification"), testTrap);
                assertTrue(Pattern.compile("cwNoticeNotification\\.0 = STRING: \"?agents in All").matcher(testTrap).find(),
                        testTrap);
                assertFalse(testTrap.substring(0, testTrap.indexOf(test)).contains("cwCert"), testTrap);
                assertTrue(smtp.getReceivedMessages()[1].getSubject().startsWith("[certwatch] test: notification"),
                        smtp.getReceivedMessages()[1].getSubject());

                // one audit entry per action, to the millisecond; a login is "login" once, no "user.login"
                web.login("admin");
                JsonNode audit = JSON.readTree(web.get("/api/v1/audit?limit=1000", "Authorization", admin).body());
                List<String> actions = new ArrayList<>();
                for (JsonNode e : audit.get("items")) {
                    actions.add(e.get("action").asText() + " " + e.get("outcome").asText());
                    assertTrue(e.get("at").asText().matches(".*T\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), e.toString());
                }
                assertEquals(1, actions.stream().filter(a -> a.contains("notification.test")).count(), actions.toString());
                assertEquals(1, actions.stream().filter(a -> a.equals("login ok")).count(), actions.toString());
                assertTrue(actions.stream().noneMatch(a -> a.startsWith("user.login") || a.startsWith("web.notification")),
                        actions.toString());
            } finally {
                trapd.destroy();
                trapd.waitFor();
                smtp.stop();
            }
        }
    }
}
