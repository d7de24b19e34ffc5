package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.certwatch.testing.BerMutator;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the real distribution's SNMP agent over real UDP: at least 100,000 mutated BER messages
 * (of valid v1/v2c/v3 GET, GETNEXT, GETBULK, SET, trap and inform messages), paced, with net-snmp's
 * {@code snmpget} (SNMPv3 authPriv, the server's credentials) as health probe after every 1,000.
 * The agent must answer every probe, keep its heap bounded and change nothing it stores.
 *
 * <p>The seed is printed; {@code -Dcertwatch.fuzz.seed=N} replays a run. {@code
 * -Dcertwatch.fuzz.snmp.packets=N} and {@code -Dcertwatch.fuzz.snmp.rate=N} (packets per second) change
 * its size and pace.
 */
class SnmpFuzzIT {
    static final String USER = "fuzz";
    static final String AUTH = "auth-" + Long.toHexString(System.nanoTime());
    static final String PRIV = "priv-" + Long.toHexString(System.nanoTime());
    static final String CONTACT = "fuzz-contact@example.org";
    /** Growth of the heap in use after a full GC that still counts as bounded. */
    static final long HEAP_GROWTH_LIMIT_KB = 16 * 1024;
    static CertwatchServer server;
    static int port;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        server = CertwatchServer.prepare("snmp-fuzz").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV).quiet();
        // v1/v2c on (read-only), so the fuzzer reaches their PDU decoding too, not only the community check
        CertwatchServer.writeAtomically(server.etc().resolve("org.certwatch.snmp.cfg"),
                "readCommunities = public\nsysContact = " + CONTACT + "\n");
        server.startAndAwaitReady();
        server.awaitLog(l -> l.contains("SNMP agent listening") && l.contains("v1/v2c on"), Duration.ofSeconds(90));
        port = Integer.parseInt(server.env("CERTWATCH_SNMP_PORT"));
        agent = "udp:127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mutatedMessagesNeverStopTheAgentNorGrowItsHeapNorChangeWhatItStores() throws Exception {
        long seed = Long.getLong("certwatch.fuzz.seed", new Random().nextLong());
        int packets = Integer.getInteger("certwatch.fuzz.snmp.packets", 100_000);
        int rate = Integer.getInteger("certwatch.fuzz.snmp.rate", 3000);
        System.out.println("SnmpFuzzIT: seed " + seed + " (replay with -Dcertwatch.fuzz.seed=" + seed + "), " + packets
                + " packets at " + rate + "/s");
        List<byte[]> seeds = SnmpSeeds.record(port, "public", USER, AUTH, PRIV);
        assertTrue(seeds.size() >= 14, "seed messages recorded: " + seeds.size());
        assertEquals(0, probe().exit(), "the agent answers before the fuzzing");
        Map<String, String> storedBefore = stored();
        String contactBefore = contact();
        long pid = server.process().pid();
        ServerMemory before = ServerMemory.of(pid);

        Random random = new Random(seed);
        BerMutator mutator = new BerMutator(random, 65_507);
        Deque<String> recent = new ArrayDeque<>(); // what the last mutations were, for a failure message
        List<String> unanswered = new ArrayList<>();
        AtomicLong answers = new AtomicLong();
        long slowestProbe = 0;
        int probes = 0;
        int slowProbes = 0; // over a second: the first try was lost or late, the retry answered
        long sent = 0;
        long bytes = 0;
        long t0 = System.nanoTime();
        try (DatagramSocket attack = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread drain = drain(attack, answers);
            try {
                for (int i = 1; i <= packets; i++) {
                    int which = random.nextInt(seeds.size());
                    BerMutator.Mutant m = mutator.mutate(seeds.get(which));
                    attack.send(new DatagramPacket(m.bytes(), m.bytes().length, InetAddress.getLoopbackAddress(), port));
                    sent++;
                    bytes += m.bytes().length;
                    if (recent.size() == 20) {
                        recent.removeFirst();
                    }
                    recent.addLast("#" + i + " seed " + which + ": " + m.what());
                    pace(t0, i, rate);
                    if (i % 1000 == 0) {
                        long p0 = System.nanoTime();
                        NetSnmp.Result r = probe();
                        long took = System.nanoTime() - p0;
                        slowestProbe = Math.max(slowestProbe, took);
                        slowProbes += took > 1_000_000_000L ? 1 : 0;
                        probes++;
                        if (r.exit() != 0) {
                            unanswered.add("after packet " + i + ": " + r.output().strip() + "\n  last mutations:\n  "
                                    + String.join("\n  ", recent));
                        }
                    }
                }
            } finally {
                attack.close();
                drain.join(10_000);
            }
        }
        long elapsed = System.nanoTime() - t0;
        ServerMemory after = ServerMemory.of(pid);
        System.out.printf("SnmpFuzzIT: %d packets (%d MB) in %.1f s, %d answers to them; %d of %d probes answered,"
                + " slowest %d ms, %d over 1 s; before: %s; after: %s%n", sent, bytes >> 20, elapsed / 1e9,
                answers.get(), probes - unanswered.size(), probes, slowestProbe / 1_000_000, slowProbes, before, after);
        assertEquals(List.of(), unanswered, "probes not answered (seed " + seed + ")");
        assertTrue(server.process().isAlive(), "the server runs");
        assertTrue(after.heapUsedAfterGcKb() - before.heapUsedAfterGcKb() < HEAP_GROWTH_LIMIT_KB,
                "heap bounded: before " + before + ", after " + after);
        assertEquals(contactBefore, contact(), "a SET changed nothing");
        assertEquals(storedBefore, stored(), "the data folder's SNMP state and the configuration are unchanged");
        assertTrue(server.output().stream().noneMatch(l -> l.contains("OutOfMemoryError") || l.contains("StackOverflowError")),
                "no JVM error in the log");
    }

    private static NetSnmp.Result probe() throws IOException, InterruptedException {
        return NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent, "SNMPv2-MIB::sysUpTime.0");
    }

    private static String contact() throws IOException, InterruptedException {
        NetSnmp.Result r = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent, "SNMPv2-MIB::sysContact.0");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(CONTACT), r.output());
        return r.output();
    }

    /** Sleeps so that packet i leaves no earlier than i/rate seconds after the start. */
    private static void pace(long t0, int i, int rate) {
        long due = t0 + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Reads (and counts) what the agent answers to the mutants until the socket closes. */
    private static Thread drain(DatagramSocket socket, AtomicLong answers) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65_535];
            while (!socket.isClosed()) {
                try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    answers.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "snmp-fuzz-answers");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** SHA-256 of every file in the data folder's snmp/ and in etc/: the state the agent keeps. */
    private static Map<String, String> stored() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (Path root : List.of(server.data().resolve("snmp"), server.etc())) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(p.toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return files;
    }
}
