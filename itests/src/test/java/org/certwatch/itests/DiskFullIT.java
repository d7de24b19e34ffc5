package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The data disk runs full: the data folder is a small tmpfs of its own, filled to the last byte while
 * the server runs. Writes fail with a clear error naming the file, reads and SNMP keep working,
 * writes work again once space returns, a notice that fell due meanwhile goes out once, and nothing
 * stored is lost (checked after a restart).
 */
class DiskFullIT {
    private static final Pattern ISSUED = Pattern.compile("issued certificate (\\d+) AGENT host (\\S+) .* sha256 ([0-9a-f]{64})");
    private static final String USER = "diskfull";
    private static final String AUTH = "diskfull-auth-secret";
    private static final String PRIV = "diskfull-priv-secret";

    @Test
    void writesFailClearlyWhileReadsAndSnmpGoOnAndEverythingRecoversWhenSpaceReturns() throws Exception {
        CertwatchServer server = CertwatchServer.prepare("disk-full").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .env("CERTWATCH_SNMP_USER", USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV);
        Path data = Files.createDirectories(server.data());
        // a disk of its own for the data folder; needs mount rights (root, as ./certwatch test and CI run)
        NetSnmp.Result mount = NetSnmp.exec(List.of("mount", "-t", "tmpfs", "-o", "size=96m,mode=0700", "tmpfs", data.toString()));
        Assumptions.assumeTrue(mount.exit() == 0, "cannot mount a tmpfs here (" + mount.output().strip()
                + "): the disk-full test needs mount rights");
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            run(server, data, smtp);
        } finally {
            smtp.stop();
            server.close();
            NetSnmp.exec(List.of("umount", "-l", data.toString()));
        }
    }

    private static void run(CertwatchServer server, Path data, GreenMail smtp) throws Exception {
        server.startAndAwaitReady();
        server.awaitLog(l -> l.contains("SNMP agent listening"), Faults.WAIT);
        Faults.deployGogo(server);
        Faults.deployStoreDriver(server);
        CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("org.certwatch.testclock.jar"));
        Faults.deployMonitorControl(server);
        CertwatchServer.await("test clock", Faults.WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
        MonitorControl.ctl(server, "mail 127.0.0.1 " + smtp.getSmtp().getPort() + " NONE certwatch@example.org 60"); // 60 s: a starved SMTP peer is not a lost mail
        Instant t0 = Instant.parse(server.clock("now").split(" ")[1]);
        String watched = MonitorControl.ctl(server, "issue AGENT pc-watched All/Mon " + t0.plus(Duration.ofDays(40))).split(" ")[0];
        String notification = MonitorControl.ctl(server, "notify AGENT 30 ops@example.org All/Mon");
        CertwatchServer.await("the monitor knows the certificate", Faults.WAIT,
                () -> server.probe("org.certwatch.monitorctl", "health " + watched).orElse("").startsWith("ok "));
        List<String> stored = new ArrayList<>(); // "id host sha256" of every acknowledged issuance
        for (int i = 0; i < 5; i++) {
            stored.add(issue(server, "before-" + i + ".example.org"));
        }
        long[] bulk = Faults.issue(server, 200, 100); // to revoke while the disk is full
        String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
        String journal = data.resolve("store").toString();

        Path filler = data.resolve("filler");
        fill(filler);
        int from = server.output().size();
        // the journal's last page may still hold a record or two: write until the store refuses
        String refusedHost = null;
        String refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            String host = "while-full-" + i + ".example.org";
            String answer = server.gogo("certwatch:issue 1 agent " + host + " 100");
            Matcher m = ISSUED.matcher(answer);
            if (m.find()) {
                stored.add(m.group(1) + " " + m.group(2) + " " + m.group(3)); // acknowledged: must survive
            } else {
                refused = answer;
                refusedHost = host;
            }
        }
        System.out.println("issue on a full disk: " + refused);
        assertTrue(refused != null && refused.contains("No space left on device") && refused.contains(journal),
                "a clear error naming the journal: " + refused);
        List<Long> revoked = new ArrayList<>();
        String revokeRefused = null;
        for (long id = bulk[0]; id <= bulk[1] && revokeRefused == null; id++) {
            String answer = server.gogo("certwatch:revoke " + id + " superseded");
            if (answer.startsWith("revoked certificate " + id + " ")) {
                revoked.add(id); // acknowledged (a small record fitted): must survive, and reach the CRL
            } else {
                revokeRefused = answer;
            }
        }
        System.out.println("revoke on a full disk: " + revokeRefused + " (" + revoked.size() + " acknowledged before)");
        assertTrue(revokeRefused != null && revokeRefused.contains("No space left on device")
                && revokeRefused.contains(journal), "a clear error naming the journal: " + revokeRefused);
        Faults.awaitLogSince(server, from, l -> l.contains(" ERROR ") && l.contains(journal)
                && l.contains("No space left on device"), Faults.WAIT);
        if (!revoked.isEmpty()) {
            Faults.awaitLogSince(server, from, l -> l.contains(" ERROR ") && l.contains("CRL " + journal)
                    && l.contains("No space left on device"), Faults.WAIT);
        }

        // reads and SNMP go on
        String list = server.gogo("certwatch:list");
        for (String s : stored) {
            assertTrue(list.contains("certificate " + s.split(" ")[0] + " AGENT host " + s.split(" ")[1]), list);
        }
        assertTrue(!list.contains(refusedHost), "the refused certificate is not listed");
        assertEquals(revoked.size(), list.split(" REVOKED ", -1).length - 1, "only acknowledged revocations stand");
        NetSnmp.Result snmp = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent, "CERTWATCH-MIB::cwCertTotalCount.0",
                "SNMPv2-MIB::sysUpTime.0");
        assertEquals(0, snmp.exit(), snmp.output());
        assertTrue(snmp.output().contains("cwCertTotalCount.0 = Gauge32: "), snmp.output());

        // a threshold crossed while the disk is full: the monitor cannot write the notice into its outbox yet
        int beforeClock = server.output().size();
        assertTrue(server.clock("at " + t0.plus(Duration.ofDays(11))).startsWith("ok"));
        Faults.awaitLogSince(server, beforeClock, l -> l.contains(" ERROR ")
                && l.contains(data.resolve("monitor").toString()) && l.contains("No space left on device"), Faults.WAIT);
        assertEquals(0, smtp.getReceivedMessages().length);

        // space returns: writes work again, the notice goes out once, and the CRL lists every revocation
        Files.delete(filler);
        CertwatchServer.await("the notice of the threshold crossed while full", Faults.WAIT,
                () -> smtp.getReceivedMessages().length >= 1 && MonitorControl.ctl(server, "outbox").equals("0"));
        assertEquals(List.of("<" + notification + ".cert" + watched + ".d30@certwatch>"), CrashIT.messageIds(smtp));
        stored.add(issue(server, "after.example.org"));
        long last = bulk[1];
        assertTrue(server.gogo("certwatch:revoke " + last + " superseded").startsWith("revoked"));
        revoked.add(last);
        assertEquals(revoked.size(), crlEntries(data), "the CRL lists every acknowledged revocation");

        assertEquals(0, server.stop(Duration.ofSeconds(30)));
        Faults.restart(server);
        String after = server.awaitGogo("certwatch:list", Faults.WAIT);
        for (String s : stored) {
            String[] f = s.split(" ");
            assertTrue(after.contains("certificate " + f[0] + " AGENT host " + f[1]) && after.contains("sha256 " + f[2]),
                    "lost " + s + ":\n" + after);
        }
        assertTrue(!after.contains(refusedHost), after);
        for (long id : revoked) {
            assertTrue(after.lines().anyMatch(l -> l.startsWith("certificate " + id + " ") && l.contains(" REVOKED ")),
                    "revocation of " + id + " lost");
        }
        assertEquals(revoked.size(), after.split(" REVOKED ", -1).length - 1);
    }

    /** Revoked certificates the CRL of CA 1 lists (read with openssl). */
    private static int crlEntries(Path data) throws Exception {
        Path crl;
        try (java.util.stream.Stream<Path> files = Files.walk(data.resolve("store"))) {
            crl = files.filter(f -> f.getFileName().toString().equals("1.crl.pem")).findFirst().orElseThrow();
        }
        NetSnmp.Result text = NetSnmp.exec(List.of("openssl", "crl", "-in", crl.toString(), "-noout", "-text"));
        assertEquals(0, text.exit(), text.output());
        return text.output().split("Serial Number:", -1).length - 1;
    }

    private static String issue(CertwatchServer server, String host) throws IOException {
        String answer = server.gogo("certwatch:issue 1 agent " + host + " 100");
        Matcher m = ISSUED.matcher(answer);
        assertTrue(m.find(), answer);
        return m.group(1) + " " + m.group(2) + " " + m.group(3);
    }

    /** Writes until the disk refuses (then the last free bytes in small pieces). */
    private static void fill(Path filler) throws IOException {
        byte[] big = new byte[1 << 20];
        byte[] small = new byte[512];
        try (OutputStream out = Files.newOutputStream(filler)) {
            try {
                while (true) {
                    out.write(big);
                    out.flush();
                }
            } catch (IOException full) {
                // now byte by byte-ish to the very end
            }
            try {
                while (true) {
                    out.write(small);
                    out.flush();
                }
            } catch (IOException full) {
                // full
            }
        } catch (IOException closeOnFullDisk) {
            // the close may fail too on a full disk: the file stays as written
        }
    }
}
