package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.snmp4j.smi.OID;

/**
 * {@code ./certwatch bench snmp}: certwatch's agent side by side with net-snmp's snmpd (started
 * here on its own loopback port, config file and pid file, stopped at the end), both driven by the
 * same in-process SNMP4J load generator: GET sysUpTime.0 with 32 outstanding (v2c, v3 authPriv),
 * and GETBULK (×50) walks of certwatch's 100,000-row certificate table vs snmpd's whole tree.
 */
final class SnmpBench {
    /** Overridable for quick local checks; the reported figures use the defaults. */
    private static final int ROWS = Integer.getInteger("certwatch.bench.snmp.rows", 100_000);
    private static final int ROUNDS = Integer.getInteger("certwatch.bench.snmp.rounds", Figure.MIN_SAMPLES);
    /** Per figure and round: 8 figures × 5 rounds × 5 s keeps the SNMP part near 4 minutes. */
    private static final double SECONDS = 5;
    private static final String USER = "bench";
    private static final String AUTH = "bench-auth-" + Long.toHexString(System.nanoTime());
    private static final String PRIV = "bench-priv-" + Long.toHexString(System.nanoTime());
    private static final OID CERT_TABLE = new OID("1.3.6.1.4.1.32473.1.1.3");

    private SnmpBench() {
    }

    static List<Figure> run() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("bench-snmp").quiet()
                .env("CERTWATCH_SNMP_USER", USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("SNMP agent listening"), Duration.ofSeconds(60));
            CertwatchServer.writeAtomically(server.etc().resolve("org.certwatch.snmp.cfg"), "readCommunities = public\n");
            server.awaitLog(l -> l.contains("SNMP agent listening") && l.contains("v1/v2c on"), Duration.ofSeconds(30));
            CertwatchServer.placeAtomically(TestBundles.storeDriver(), server.deploy().resolve("storedriver.jar"));
            CertwatchServer.await("store driver", Duration.ofSeconds(60), () -> server.probe("org.certwatch.storedriver", "cas")
                    .map(a -> a.contains("CA")).orElse(false));
            long t0 = System.nanoTime();
            String issued = server.probe("org.certwatch.storedriver", "issue " + (ROWS - 1) + " 365 All", Duration.ofMinutes(30));
            System.out.printf("issued %d certificates in %.0f s: %s%n", ROWS - 1, (System.nanoTime() - t0) / 1e9, issued);
            if (!issued.startsWith("ok")) {
                throw new IOException("issuing failed: " + issued);
            }
            int ours = Integer.parseInt(server.env("CERTWATCH_SNMP_PORT"));
            Path work = server.home().getParent().resolve("snmpd");
            try (Snmpd snmpd = Snmpd.start(work, USER, AUTH, PRIV); SnmpLoad load = new SnmpLoad(USER, AUTH, PRIV)) {
                return measure(load, ours, snmpd.port());
            }
        }
    }

    private static List<Figure> measure(SnmpLoad load, int ours, int theirs) throws Exception {
        List<Double> getV2 = new ArrayList<>();
        List<Double> getV2Anchor = new ArrayList<>();
        List<Double> getV3 = new ArrayList<>();
        List<Double> getV3Anchor = new ArrayList<>();
        List<Double> walkV2 = new ArrayList<>();
        List<Double> walkV2Anchor = new ArrayList<>();
        List<Double> walkV3 = new ArrayList<>();
        List<Double> walkV3Anchor = new ArrayList<>();
        long[] size = new long[1];
        long[] anchorSize = new long[1];
        for (int round = 1; round <= ROUNDS; round++) {
            // alternate sides, so drift on this shared machine hits both alike
            getV2Anchor.add(load.getThroughput(SnmpLoad.v2c(theirs, "public"), 32, SECONDS));
            getV2.add(load.getThroughput(SnmpLoad.v2c(ours, "public"), 32, SECONDS));
            getV3.add(load.getThroughput(SnmpLoad.v3(ours, USER), 32, SECONDS));
            getV3Anchor.add(load.getThroughput(SnmpLoad.v3(theirs, USER), 32, SECONDS));
            walkV2Anchor.add(load.walkThroughput(SnmpLoad.v2c(theirs, "public"), new OID("1.3.6.1"), 50, SECONDS, anchorSize));
            walkV2.add(load.walkThroughput(SnmpLoad.v2c(ours, "public"), CERT_TABLE, 50, SECONDS, size));
            walkV3.add(load.walkThroughput(SnmpLoad.v3(ours, USER), CERT_TABLE, 50, SECONDS, size));
            walkV3Anchor.add(load.walkThroughput(SnmpLoad.v3(theirs, USER), new OID("1.3.6.1"), 50, SECONDS, anchorSize));
            System.out.printf("round %d: GET v2c %.0f/s (snmpd %.0f/s), GET v3 %.0f/s (snmpd %.0f/s), walk v2c %.0f vb/s"
                    + " (snmpd %.0f vb/s), walk v3 %.0f vb/s (snmpd %.0f vb/s); snmpd tree %d varbinds%n", round,
                    getV2.get(round - 1), getV2Anchor.get(round - 1), getV3.get(round - 1), getV3Anchor.get(round - 1),
                    walkV2.get(round - 1), walkV2Anchor.get(round - 1), walkV3.get(round - 1), walkV3Anchor.get(round - 1),
                    anchorSize[0]);
        }
        String anchor = "net-snmp snmpd " + Snmpd.version();
        return List.of(
                new Figure("snmp: GET sysUpTime.0, v2c, 32 outstanding", "answers/s", getV2, anchor, getV2Anchor,
                        "≥ 1.0× snmpd", true),
                new Figure("snmp: GET sysUpTime.0, v3 authPriv SHA-256/AES, 32 outstanding", "answers/s", getV3, anchor,
                        getV3Anchor, "≥ 1.0× snmpd", true),
                new Figure("snmp: GETBULK×50 walk, v2c, cwCertTable 100,000 rows (anchor: snmpd whole tree)", "varbinds/s",
                        walkV2, anchor, walkV2Anchor, "≥ 0.5× snmpd", true),
                new Figure("snmp: GETBULK×50 walk, v3 authPriv, cwCertTable 100,000 rows (anchor: snmpd whole tree)",
                        "varbinds/s", walkV3, anchor, walkV3Anchor, "≥ 0.5× snmpd", true));
    }

    /** net-snmp's snmpd on its own loopback port with its own config, persistent folder and pid file. */
    static final class Snmpd implements AutoCloseable {
        private final Process process;
        private final int port;

        private Snmpd(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        int port() {
            return port;
        }

        static String version() {
            try {
                Process p = new ProcessBuilder("snmpd", "-v").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor(10, TimeUnit.SECONDS);
                return out.lines().filter(l -> l.contains("version")).findFirst().orElse("").replaceAll(".*version:\\s*", "").trim();
            } catch (Exception e) {
                return "";
            }
        }

        static Snmpd start(Path work, String user, String auth, String priv) throws Exception {
            Files.createDirectories(work);
            int port = CertwatchServer.freeUdpPort();
            Path conf = work.resolve("snmpd.conf");
            Files.writeString(conf, "agentAddress udp:127.0.0.1:" + port + "\n"
                    + "rocommunity public 127.0.0.1\n"
                    + "createUser " + user + " SHA-256 \"" + auth + "\" AES \"" + priv + "\"\n"
                    + "rouser " + user + " priv\n"
                    + "sysContact bench\nsysLocation bench\n");
            ProcessBuilder builder = new ProcessBuilder("snmpd", "-f", "-Lf", work.resolve("snmpd.log").toString(),
                    "-C", "-c", conf.toString(), "-p", work.resolve("snmpd.pid").toString(), "-M", "/nonexistent", "-m", "")
                    .redirectErrorStream(true).redirectOutput(work.resolve("snmpd.out").toFile());
            builder.environment().put("SNMP_PERSISTENT_DIR", work.resolve("persist").toString());
            builder.environment().put("SNMPCONFPATH", work.toString());
            Process process = builder.start();
            Snmpd snmpd = new Snmpd(process, port);
            try (SnmpLoad probe = new SnmpLoad(user, auth, priv)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (true) {
                    try {
                        probe.getThroughput(SnmpLoad.v2c(port, "public"), 1, 0.1);
                        break;
                    } catch (IOException e) {
                        if (System.nanoTime() > deadline || !process.isAlive()) {
                            snmpd.close();
                            throw new IOException("snmpd did not start; see " + work.resolve("snmpd.log"), e);
                        }
                        Thread.sleep(200);
                    }
                }
            }
            return snmpd;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
