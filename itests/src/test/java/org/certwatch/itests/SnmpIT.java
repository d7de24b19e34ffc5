package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.certwatch.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The SNMP agent of the real distribution against net-snmp's tools and snmptrapd, raw UDP and the
 * PROTOS c06-snmpv1 request cases. One server for the class; each test writes the whole
 * {@code etc/org.certwatch.snmp.cfg} it needs and waits for the agent to apply it.
 *
 * <p>Notices are handed to the {@code snmp} channel by the test-only store driver, the way the
 * monitor's outbox hands them over (the monitor is not part of this branch); "receiver down when the
 * notice falls due, receives it when it comes up" is the outbox retrying the refused delivery.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnmpIT {
    static final String USER = "admin";
    static final String AUTH = "auth-" + Long.toHexString(System.nanoTime());
    static final String PRIV = "priv-" + Long.toHexString(System.nanoTime());
    static final String DRIVER = "org.certwatch.storedriver";
    static CertwatchServer server;
    static String agent;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = CertwatchServer.prepare("snmp").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV);
        server.startAndAwaitReady();
        server.awaitLog(l -> l.contains("SNMP agent listening"), Duration.ofSeconds(60));
        port = Integer.parseInt(server.env("CERTWATCH_SNMP_PORT"));
        agent = "udp:127.0.0.1:" + port;
        CertwatchServer.placeAtomically(TestBundles.storeDriver(), server.deploy().resolve("storedriver.jar"));
        CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
        CertwatchServer.await("store driver", Duration.ofSeconds(60),
                () -> server.probe(DRIVER, "cas").map(a -> a.contains("CA")).orElse(false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String driver(String command) throws IOException {
        return server.probe(DRIVER, command, Duration.ofSeconds(120));
    }

    static List<String> v3() {
        return NetSnmp.v3(USER, AUTH, PRIV);
    }

    /** Writes the agent's configuration and waits until the agent runs with it (it restarts). */
    static void configure(String cfg, String expect) throws IOException {
        long before = server.output().stream().filter(l -> l.contains("SNMP agent listening")).count();
        CertwatchServer.writeAtomically(server.etc().resolve("org.certwatch.snmp.cfg"), cfg);
        CertwatchServer.await("agent restarted with " + expect, Duration.ofSeconds(30), () -> server.output().stream()
                .filter(l -> l.contains("SNMP agent listening")).count() > before
                && server.output().stream().filter(l -> l.contains("SNMP agent listening")).reduce((a, b) -> b)
                        .orElse("").contains(expect));
    }

    static String dateAndTime(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        return t.getYear() + "-" + t.getMonthValue() + "-" + t.getDayOfMonth() + "," + t.getHour() + ":" + t.getMinute()
                + ":" + t.getSecond() + "." + t.getNano() / 100_000_000 + ",+0:0";
    }

    @Test
    @Order(1)
    void netSnmpReadsEveryRowAsTheStoreHasIt() throws Exception {
        assertTrue(driver("issue 5 20 All/Berlin").startsWith("ok"));
        assertTrue(driver("issue 3 400 All/Hamburg").startsWith("ok"));
        String[] rows = driver("certs").split("\n");
        assertEquals(9, rows.length, "server certificate + 8 issued");
        // the agent's tables follow the store through asynchronous events: wait until it has seen all nine
        CertwatchServer.await("the agent counts 9 certificates", Duration.ofSeconds(30), () -> {
            try {
                return NetSnmp.get("snmpget", v3(), agent, "CERTWATCH-MIB::cwCertTotalCount.0").output()
                        .contains("cwCertTotalCount.0 = Gauge32: 9");
            } catch (Exception e) {
                return false;
            }
        });
        NetSnmp.Result walk = NetSnmp.run("snmpbulkwalk", v3(), agent, "-Cr50", "CERTWATCH-MIB::cwCertTable");
        assertEquals(0, walk.exit(), walk.output());
        String out = walk.output();
        Instant now = Instant.now();
        for (String row : rows) {
            String[] f = row.split("\t");
            String id = f[0];
            assertTrue(out.contains("CERTWATCH-MIB::cwCertSubject." + id + " = STRING: " + f[1] + "\n"), "subject of " + id + "\n" + out);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertSerial." + id + " = STRING: "
                    + NetSnmp.opensslSerial(HexFormat.of().parseHex(f[2])) + "\n"), "serial of " + id + "\n" + out);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertNotAfter." + id + " = STRING: " + dateAndTime(Instant.parse(f[3]))),
                    "notAfter of " + id);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertGroup." + id + " = STRING: " + f[4] + "\n"), "group of " + id);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertRole." + id + " = INTEGER: " + f[5].toLowerCase()), "role of " + id);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertFingerprint." + id + " = STRING: "
                    + NetSnmp.opensslFingerprint(HexFormat.of().parseHex(f[6])) + "\n"), "fingerprint of " + id);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertIssuerIndex." + id + " = Gauge32: " + f[7] + "\n"), "issuer of " + id);
            long days = Math.floorDiv(Duration.between(now, Instant.parse(f[3])).getSeconds(), 86_400L);
            assertTrue(out.contains("CERTWATCH-MIB::cwCertDaysLeft." + id + " = INTEGER: " + days + " days")
                    || out.contains("CERTWATCH-MIB::cwCertDaysLeft." + id + " = INTEGER: " + (days - 1) + " days"),
                    "days left of " + id);
        }
        // none is revoked: cwCertRevocationTime and cwCertRevocationReason have no instance (issue 18)
        assertEquals(9 * 14, out.lines().count(), "14 columns × 9 rows");
        assertFalse(out.contains("cwCertRevocationTime"), out);
        NetSnmp.Result summary = NetSnmp.get("snmpget", v3(), agent, "CERTWATCH-MIB::cwCertTotalCount.0",
                "CERTWATCH-MIB::cwCertExpiringCount.0", "SNMPv2-MIB::sysObjectID.0");
        assertTrue(summary.output().contains("cwCertTotalCount.0 = Gauge32: 9"), summary.output());
        assertTrue(summary.output().contains("cwCertExpiringCount.0 = Gauge32: 5"), summary.output());
        assertTrue(summary.output().contains("sysObjectID.0 = OID: CERTWATCH-MIB::cwServerProduct"), summary.output());
        // the engine ID and boots are persisted in the data folder
        assertTrue(Files.exists(server.data().resolve("snmp/engine-boots")));
    }

    @Test
    @Order(2)
    void v2cIsOffUntilACommunityIsConfiguredAndThenReadOnly() throws Exception {
        NetSnmp.Result off = NetSnmp.get("snmpget", List.of("-v2c", "-c", "public"), agent, "SNMPv2-MIB::sysDescr.0");
        assertNotEquals(0, off.exit(), off.output());
        assertTrue(off.output().contains("Timeout"), off.output());
        List<String> engineBefore = engine();
        configure("readCommunities = public\nsysContact = ops@example.org\n", "v1/v2c on");
        List<String> engineAfter = engine();
        assertEquals(engineBefore.get(0), engineAfter.get(0), "the engine ID stays the same");
        assertTrue(Long.parseLong(engineAfter.get(1)) > Long.parseLong(engineBefore.get(1)), "engine boots counted up: "
                + engineBefore + " " + engineAfter);
        NetSnmp.Result on = NetSnmp.get("snmpget", List.of("-v2c", "-c", "public"), agent, "SNMPv2-MIB::sysContact.0",
                "CERTWATCH-MIB::cwCertTotalCount.0");
        assertEquals(0, on.exit(), on.output());
        assertTrue(on.output().contains("sysContact.0 = STRING: ops@example.org"), on.output());
        NetSnmp.Result set = NetSnmp.get("snmpset", List.of("-v2c", "-c", "public"), agent, "SNMPv2-MIB::sysContact.0",
                "s", "evil");
        assertNotEquals(0, set.exit(), set.output());
        assertTrue(set.output().contains("noAccess") || set.output().contains("notWritable"), set.output());
        NetSnmp.Result setV3 = NetSnmp.get("snmpset", v3(), agent, "CERTWATCH-MIB::cwNotificationsEnabled.0", "i", "2");
        assertNotEquals(0, setV3.exit(), setV3.output());
        assertTrue(setV3.output().contains("noAccess") || setV3.output().contains("notWritable"), setV3.output());
    }

    /** snmpEngineID.0 and snmpEngineBoots.0, as printed values. */
    static List<String> engine() throws Exception {
        NetSnmp.Result r = NetSnmp.get("snmpget", v3(), agent, ".1.3.6.1.6.3.10.2.1.1.0", ".1.3.6.1.6.3.10.2.1.2.0");
        assertEquals(0, r.exit(), r.output());
        return r.output().lines().map(l -> l.substring(l.indexOf(" = ") + 3).replaceAll("^[A-Za-z-]+: ", "").trim())
                .toList();
    }

    @Test
    @Order(3)
    void eachGroupIsAContextAndAUserCanBeLimitedToOne() throws Exception {
        // the fleet's groups are the contexts: All → "all", All/Berlin → "berlin"
        assertTrue(server.awaitGogo("certwatch:group-add All/Berlin", Duration.ofSeconds(60)).contains("(berlin)"));
        assertTrue(server.gogo("certwatch:group-add All/Hamburg").contains("(hamburg)"));
        configure("users = lab,labauth-123,labpriv-123,berlin\n", "2 SNMPv3 user(s)");
        CertwatchServer.await("context berlin", Duration.ofSeconds(20), () -> {
            try {
                return NetSnmp.run("snmpbulkwalk", v3(), agent, "-n", "berlin", "CERTWATCH-MIB::cwCertSubject").exit() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        NetSnmp.Result berlin = NetSnmp.run("snmpbulkwalk", NetSnmp.v3("lab", "labauth-123", "labpriv-123"), agent,
                "-n", "berlin", "CERTWATCH-MIB::cwCertGroup");
        assertEquals(0, berlin.exit(), berlin.output());
        assertEquals(5, berlin.output().lines().count(), berlin.output());
        assertTrue(berlin.output().lines().allMatch(l -> l.endsWith("STRING: All/Berlin")), berlin.output());
        NetSnmp.Result count = NetSnmp.get("snmpget", NetSnmp.v3("lab", "labauth-123", "labpriv-123"), agent,
                "-n", "berlin", "CERTWATCH-MIB::cwCertTotalCount.0");
        assertTrue(count.output().contains("cwCertTotalCount.0 = Gauge32: 5"), count.output());
        // the restricted user cannot read the default context
        NetSnmp.Result outside = NetSnmp.get("snmpget", NetSnmp.v3("lab", "labauth-123", "labpriv-123"), agent,
                "CERTWATCH-MIB::cwCertTotalCount.0");
        assertFalse(outside.output().contains("Gauge32"), outside.output());
        NetSnmp.Result all = NetSnmp.run("snmpbulkwalk", v3(), agent, "-n", "all", "CERTWATCH-MIB::cwCertGroup");
        assertEquals(9, all.output().lines().count(), all.output());
        NetSnmp.Result unknown = NetSnmp.run("snmpbulkwalk", v3(), agent, "-n", "nosuch", "CERTWATCH-MIB::cwCertGroup");
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.output().contains("context"), unknown.output());
    }

    @Test
    @Order(4)
    void informsAndTrapsReachSnmptrapdAndAnInformWaitsForADownReceiver() throws Exception {
        int trapPort = CertwatchServer.freeUdpPort();
        Path work = Files.createTempDirectory(server.home().getParent(), "trapd");
        Files.writeString(work.resolve("snmptrapd.conf"), "authCommunity log public\n"
                + "createUser trapuser SHA-256 trapauth-123 AES trappriv-123\nauthUser log trapuser\n");
        configure("users = trapuser,trapauth-123,trappriv-123\n"
                + "targets = 127.0.0.1:" + trapPort + ",v3,inform,trapuser; 127.0.0.1:" + trapPort + ",v2c,inform,public\n"
                + "informTimeoutMillis = 500\ninformRetries = 1\n", "2 notification target(s)");
        String[] first = driver("certs").split("\n")[1].split("\t");
        // the receiver is down when the notice falls due: delivery is refused, quickly
        long t0 = System.nanoTime();
        String refused = driver("notice CERTIFICATE_EXPIRING " + first[0] + " notice-down-1");
        assertTrue(refused.startsWith("error") && refused.contains("no acknowledgement"), refused);
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, "bounded inform timeout");
        Process trapd = new ProcessBuilder("snmptrapd", "-f", "-Lo", "-n", "-C", "-c",
                work.resolve("snmptrapd.conf").toString(), "-M", NetSnmp.mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB",
                "-p", work.resolve("pid").toString(), "udp:127.0.0.1:" + trapPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("trapd.log").toFile()).start();
        try {
            CertwatchServer.await("snmptrapd up", Duration.ofSeconds(20), () -> {
                try {
                    return Files.readString(work.resolve("trapd.log")).contains("NET-SNMP version");
                } catch (IOException e) {
                    return false;
                }
            });
            // the outbox retries: now the receiver acknowledges both informs
            String delivered = driver("notice CERTIFICATE_EXPIRING " + first[0] + " notice-down-1");
            assertEquals("ok", delivered);
            String log = Files.readString(work.resolve("trapd.log"));
            assertEquals(2, log.split("cwNoticeId.0 = STRING: notice-down-1", -1).length - 1, log);
            assertTrue(log.contains("snmpTrapOID.0 = OID: CERTWATCH-MIB::cwCertExpiring"), log);
            assertTrue(log.contains("CERTWATCH-MIB::cwCertSubject." + first[0] + " = STRING: " + first[1]), log);
            assertTrue(log.contains("CERTWATCH-MIB::cwCertRole." + first[0] + " = INTEGER: agent(2)"), log);
            // a CA notice, and a plain v2c trap (best effort)
            configure("targets = 127.0.0.1:" + trapPort + ",v2c,trap,public\n", "1 notification target(s)");
            assertEquals("ok", driver("notice CA_EXPIRED 1 notice-ca-1"));
            CertwatchServer.await("trap received", Duration.ofSeconds(10), () -> {
                try {
                    return Files.readString(work.resolve("trapd.log")).contains("cwNoticeId.0 = STRING: notice-ca-1");
                } catch (IOException e) {
                    return false;
                }
            });
            assertTrue(Files.readString(work.resolve("trapd.log")).contains("OID: CERTWATCH-MIB::cwCaExpired"));
        } finally {
            trapd.destroy();
            trapd.waitFor();
        }
    }

    @Test
    @Order(5)
    void badInputIsAnsweredOrDroppedCountedAndTheAgentKeepsAnswering() throws Exception {
        configure("readCommunities = public\n", "v1/v2c on");
        NetSnmp.Result before = NetSnmp.get("snmpget", v3(), agent, "SNMPv2-MIB::snmpInASNParseErrs.0",
                "SNMPv2-MIB::snmpInBadCommunityNames.0", ".1.3.6.1.6.3.15.1.1.3.0", ".1.3.6.1.6.3.15.1.1.5.0",
                ".1.3.6.1.6.3.15.1.1.2.0");
        Random random = new Random();
        long seed = random.nextLong();
        System.out.println("SnmpIT bad input seed " + seed);
        random.setSeed(seed);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 50; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                NetSnmp.send(socket, port, junk);
                Thread.sleep(1);
            }
            byte[] valid = NetSnmp.get(1, "public", 7, "1.3.6.1.2.1.1.3.0");
            for (int cut = 1; cut < valid.length; cut += 3) {
                NetSnmp.send(socket, port, java.util.Arrays.copyOf(valid, cut)); // truncated BER
            }
            NetSnmp.send(socket, port, new byte[60_000]); // oversized
            byte[] lying = valid.clone();
            lying[1] = (byte) 0x7f; // a length longer than the datagram
            NetSnmp.send(socket, port, lying);
            assertNull(NetSnmp.exchange(socket, port, NetSnmp.get(1, "wrong", 8, "1.3.6.1.2.1.1.3.0"), 1000),
                    "a wrong community is dropped");
            byte[] bulk = NetSnmp.exchange(socket, port,
                    NetSnmp.request(1, "public", 0xA5, 9, 0, Integer.MAX_VALUE, "1.3.6.1.2.1.1"), 3000);
            assertNotNull(bulk, "GETBULK with absurd max-repetitions is answered");
            assertTrue(bulk.length < 65_000);
            assertNotNull(NetSnmp.exchange(socket, port, valid, 2000), "a valid v2c request is answered");
        }
        NetSnmp.Result unknownUser = NetSnmp.get("snmpget", NetSnmp.v3("nobody", AUTH, PRIV), agent, "SNMPv2-MIB::sysUpTime.0");
        assertTrue(unknownUser.output().contains("Unknown user name"), unknownUser.output());
        NetSnmp.Result wrongAuth = NetSnmp.get("snmpget", NetSnmp.v3(USER, "wrong-auth-key", PRIV), agent, "SNMPv2-MIB::sysUpTime.0");
        assertTrue(wrongAuth.output().contains("Authentication fail"), wrongAuth.output());
        NetSnmp.Result wrongPriv = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, "wrong-priv-key"), agent,
                "SNMPv2-MIB::sysUpTime.0");
        assertNotEquals(0, wrongPriv.exit(), wrongPriv.output());
        // out of the time window (as a replayed old message would be): net-snmp is told boots/time
        NetSnmp.Result stale = NetSnmp.exec(List.of("snmpget", "-v3", "-l", "authPriv", "-u", USER, "-a", "SHA-256",
                "-A", AUTH, "-x", "AES", "-X", PRIV, "-Z", "1,1", "-t", "2", "-r", "0", agent, ".1.3.6.1.2.1.1.3.0"));
        assertNotNull(stale);
        NetSnmp.Result after = NetSnmp.get("snmpget", v3(), agent, "SNMPv2-MIB::snmpInASNParseErrs.0",
                "SNMPv2-MIB::snmpInBadCommunityNames.0", ".1.3.6.1.6.3.15.1.1.3.0", ".1.3.6.1.6.3.15.1.1.5.0",
                ".1.3.6.1.6.3.15.1.1.2.0");
        assertEquals(0, after.exit(), after.output());
        long[] b = counters(before.output());
        long[] a = counters(after.output());
        assertTrue(a[0] > b[0], "snmpInASNParseErrs counted\n" + before.output() + after.output());
        assertTrue(a[1] > b[1], "snmpInBadCommunityNames counted\n" + after.output());
        assertTrue(a[2] > b[2], "usmStatsUnknownUserNames counted\n" + after.output());
        assertTrue(a[3] > b[3], "usmStatsWrongDigests counted\n" + after.output());
        assertTrue(a[4] > b[4], "usmStatsNotInTimeWindows counted\n" + after.output());
        assertEquals(0, NetSnmp.get("snmpget", v3(), agent, "SNMPv2-MIB::sysUpTime.0").exit());
    }

    private static long[] counters(String output) {
        return output.lines().mapToLong(l -> Long.parseLong(l.replaceAll(".*: ", "").trim())).toArray();
    }

    @Test
    @Order(6)
    void wrongCredentialsFloodWhileAnInformTargetIsDeadDoesNotStopAnswers() throws Exception {
        int dead = CertwatchServer.freeUdpPort();
        configure("readCommunities = public\nusers = trapuser,trapauth-123,trappriv-123\ntargets = 127.0.0.1:" + dead
                + ",v2c,inform,public; 127.0.0.1:" + dead + ",v3,inform,trapuser\ninformTimeoutMillis = 1000\n"
                + "informRetries = 2\n", "2 notification target(s)");
        String certId = driver("certs").split("\n")[1].split("\t")[0];
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        Thread outbox = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                try {
                    if (driver("notice CERTIFICATE_EXPIRED " + certId + " flood-" + n++).startsWith("error")) {
                        refused.incrementAndGet();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        Thread attacker = new Thread(() -> {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int i = 0;
                while (running.get()) {
                    NetSnmp.send(socket, port, NetSnmp.get(1, "wrong-" + (i % 7), i, "1.3.6.1.2.1.1.3.0"));
                    NetSnmp.send(socket, port, NetSnmp.get(1, "public", i, "1.3.6.1.4.1.32473.1.1.1.8.6.0"));
                    i++;
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                // stop
            }
        });
        outbox.start();
        attacker.start();
        List<String> failures = new ArrayList<>();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            int probes = 0;
            long slowest = 0;
            while (System.nanoTime() < end) {
                NetSnmp.Result wrongKey = NetSnmp.get("snmpget", NetSnmp.v3(USER, "wrong-auth-key", PRIV), agent,
                        "SNMPv2-MIB::sysUpTime.0");
                assertNotEquals(0, wrongKey.exit());
                long t0 = System.nanoTime();
                NetSnmp.Result ok = NetSnmp.get("snmpget", v3(), agent, "SNMPv2-MIB::sysUpTime.0");
                slowest = Math.max(slowest, System.nanoTime() - t0);
                probes++;
                if (ok.exit() != 0) {
                    failures.add(ok.output());
                }
            }
            System.out.println("flood: " + probes + " valid probes, slowest " + slowest / 1_000_000 + " ms, "
                    + refused.get() + " refused deliveries");
            assertTrue(probes >= 5, "probes: " + probes + ", slowest " + slowest / 1_000_000 + " ms");
        } finally {
            running.set(false);
            attacker.join(5000);
            outbox.join(20_000);
        }
        assertEquals(List.of(), failures, "valid requests not answered during the flood");
        assertTrue(refused.get() >= 1, "the dead inform target refused deliveries");
    }

    @Test
    @Order(7)
    void protosRequestCasesAreSurvivedAndEveryProbeIsAnswered() throws Exception {
        configure("readCommunities = public\nsysLocation = protos\n", "v1/v2c on");
        Path protos = TestData.folder("protos-c06-snmpv1",
                "the OUSPG PROTOS c06-snmpv1 request suites (req-app.bin.gz, req-enc.bin.gz)");
        int cases = 0;
        List<Integer> unanswered = new ArrayList<>();
        byte[] probe = NetSnmp.get(0, "public", 4242, "1.3.6.1.2.1.1.3.0");
        try (DatagramSocket attack = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket prober = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (String file : List.of("req-app.bin.gz", "req-enc.bin.gz")) {
                try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(protos.resolve(file))))) {
                    while (true) {
                        int length;
                        try {
                            length = in.readInt();
                        } catch (EOFException end) {
                            break;
                        }
                        byte[] message = in.readNBytes(length);
                        NetSnmp.send(attack, port, message);
                        cases++;
                        Thread.sleep(0, 500_000);
                        if (cases % 100 == 0) {
                            byte[] answer = null;
                            for (int tries = 0; tries < 3 && answer == null; tries++) {
                                answer = NetSnmp.exchange(prober, port, probe, 2000);
                            }
                            if (answer == null) {
                                unanswered.add(cases);
                            }
                        }
                    }
                }
            }
        }
        System.out.println("PROTOS c06-snmpv1: " + cases + " request cases sent, " + cases / 100 + " probes");
        assertTrue(cases > 29_000, "cases read: " + cases);
        assertEquals(List.of(), unanswered, "probes not answered after these case numbers");
        assertEquals(0, NetSnmp.get("snmpget", v3(), agent, "SNMPv2-MIB::sysUpTime.0").exit());
    }
}
