package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of the real server in the middle of issuance, revocation and notification delivery: after
 * the restart everything the server acknowledged is there, and only the notice in flight at the kill
 * goes out again, with its stable notice id (compared with what the SMTP server received).
 */
class CrashIT {
    private static final Pattern ISSUED = Pattern.compile("issued certificate (\\d+) AGENT host (\\S+) .* sha256 ([0-9a-f]{64})");
    private static final int CLIENTS = 3;

    /** Runs {@code work} on CLIENTS threads until {@code stop}; a failed call (the kill) ends that thread. */
    private static List<Thread> clients(AtomicBoolean stop, ThrowingRunnable work) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        work.run();
                    } catch (Exception e) {
                        return; // the server is gone: whatever this call did is unacknowledged
                    }
                }
            }, "crash-client-" + i);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void join(List<Thread> threads, AtomicBoolean stop) throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(120_000);
        }
    }

    @Test
    void killDuringIssuanceLosesNoAcknowledgedCertificate() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("crash-issue").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .startAndAwaitReady()) {
            Faults.deployGogo(server);
            Map<String, String> acknowledged = new ConcurrentHashMap<>(); // id -> "host sha256"
            AtomicLong counter = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = clients(stop, () -> {
                String host = "pc-" + counter.incrementAndGet() + ".example.org";
                Matcher m = ISSUED.matcher(server.gogo("certwatch:issue 1 agent " + host + " 100"));
                if (!m.find()) {
                    throw new AssertionError("not issued: " + host);
                }
                acknowledged.put(m.group(1), m.group(2) + " " + m.group(3));
            });
            CertwatchServer.await("40 certificates issued", Faults.WAIT, () -> acknowledged.size() >= 40);
            Faults.kill(server); // the clients are mid-request: the kill lands during issuance
            join(threads, stop);
            Map<String, String> acked = new TreeMap<>(acknowledged);
            System.out.println("killed after " + acked.size() + " acknowledged issuances of " + counter.get() + " requested");

            int from = server.output().size();
            Faults.restart(server);
            String list = server.awaitGogo("certwatch:list", Faults.WAIT);
            for (Map.Entry<String, String> e : acked.entrySet()) {
                String[] hostAndFingerprint = e.getValue().split(" ");
                assertTrue(list.contains("certificate " + e.getKey() + " AGENT host " + hostAndFingerprint[0] + " ")
                        && list.contains("sha256 " + hostAndFingerprint[1]), "acknowledged certificate " + e.getKey()
                        + " " + e.getValue() + " lost after the kill:\n" + list);
            }
            // the store goes on: a new certificate gets an id none of the acknowledged ones has
            Matcher next = ISSUED.matcher(server.gogo("certwatch:issue 1 agent after-crash.example.org 100"));
            assertTrue(next.find());
            assertTrue(!acked.containsKey(next.group(1)), "id " + next.group(1) + " given twice");
            assertTrue(Faults.since(server, from).stream().noneMatch(l -> l.contains(" ERROR ")),
                    "no error on the restart: " + Faults.since(server, from));
        }
    }

    @Test
    void killDuringRevocationLosesNoAcknowledgedRevocation() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("crash-revoke").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .startAndAwaitReady()) {
            Faults.deployGogo(server);
            Faults.deployStoreDriver(server);
            long[] range = Faults.issue(server, 300, 100);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong next = new AtomicLong(range[0]);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = clients(stop, () -> {
                long id = next.getAndIncrement();
                if (id > range[1]) {
                    throw new IllegalStateException("all revoked before the kill");
                }
                String answer = server.gogo("certwatch:revoke " + id + " keyCompromise");
                if (!answer.startsWith("revoked certificate " + id + " ")) {
                    throw new AssertionError("not revoked: " + answer);
                }
                acknowledged.add(id);
            });
            CertwatchServer.await("40 certificates revoked", Faults.WAIT, () -> acknowledged.size() >= 40);
            Faults.kill(server);
            join(threads, stop);
            assertTrue(next.get() <= range[1], "the kill came after the last revocation: not a kill during revocation");
            Set<Long> acked = new HashSet<>(acknowledged);
            System.out.println("killed after " + acked.size() + " acknowledged revocations");

            Faults.restart(server);
            String list = server.awaitGogo("certwatch:list", Faults.WAIT);
            Map<Long, String> lines = new HashMap<>();
            for (String line : list.split("\n")) {
                Matcher m = Pattern.compile("^certificate (\\d+) ").matcher(line);
                if (m.find()) {
                    lines.put(Long.parseLong(m.group(1)), line);
                }
            }
            for (long id = range[0]; id <= range[1]; id++) {
                String line = lines.get(id);
                assertTrue(line != null, "certificate " + id + " lost");
                if (acked.contains(id)) {
                    assertTrue(line.contains(" REVOKED (KEY_COMPROMISE)") || line.contains(" REVOKED ("),
                            "acknowledged revocation lost: " + line);
                }
            }
            // the revocation goes on where it stopped
            assertTrue(server.gogo("certwatch:revoke " + range[1] + " superseded").startsWith("revoked"));
        }
    }

    @Test
    void killDuringMailDeliveryRepeatsOnlyTheNoticeInFlightWithItsId() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // a little slower than GreenMail's best, so the kill lands while notices are still going out
        UserManager users = smtp.getUserManager();
        MessageDeliveryHandler store = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, address) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.handle(message, address);
        });
        int trapPort = CertwatchServer.freeUdpPort();
        try (CertwatchServer server = CertwatchServer.prepare("crash-mail")) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:"
                    + trapPort + ",v2c,inform,public\ninformTimeoutMillis = 5000\n"); // no retransmission on a busy machine
            Path trapWork = server.data().getParent().resolve("trapd");
            Process trapd = Faults.snmptrapd(trapWork, trapPort);
            try {
                killDuringDelivery(server, smtp, trapWork);
            } finally {
                trapd.destroy();
                trapd.waitFor();
            }
        } finally {
            smtp.stop();
        }
    }

    private static void killDuringDelivery(CertwatchServer server, GreenMail smtp, Path trapWork)
            throws Exception {
        server.startAndAwaitReady();
        Faults.deployMonitorControl(server);
        Faults.deployStoreDriver(server);
        MonitorControl.ctl(server, "mail 127.0.0.1 " + smtp.getSmtp().getPort() + " NONE certwatch@example.org 60"); // 60 s: a starved SMTP peer is not a lost mail
        String notification = MonitorControl.ctl(server, "notify AGENT 30 ops@example.org All snmp");
        int count = 150;
        long[] range = Faults.issue(server, count, 20); // 20 days left: each crosses the 30-day threshold at once
        CertwatchServer.await("20 notices received", Faults.WAIT, () -> smtp.getReceivedMessages().length >= 20);
        Faults.kill(server);
        List<String> beforeKill = messageIds(smtp);
        assertTrue(beforeKill.size() < count, "every notice was out before the kill: not a kill during delivery");
        System.out.println(beforeKill.size() + " of " + count + " notices received before the kill");

        Faults.restart(server);
        Faults.deployMonitorControl(server);
        CertwatchServer.await("the outbox drained after the restart", Faults.WAIT,
                () -> MonitorControl.ctl(server, "outbox").equals("0") && messageIds(smtp).size() >= count);
        List<String> received = messageIds(smtp);
        Set<String> expected = new HashSet<>();
        for (long id = range[0]; id <= range[1]; id++) {
            expected.add("<" + notification + ".cert" + id + ".d30@certwatch>");
        }
        assertEquals(expected, new HashSet<>(received), "every notice arrived, under its stable id");
        Map<String, Integer> times = new HashMap<>();
        received.forEach(id -> times.merge(id, 1, Integer::sum));
        List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        // one courier, one notice at a time: at most the one in flight at the kill goes twice
        assertTrue(twice.size() <= 1 && times.values().stream().allMatch(n -> n <= 2),
                "only the notice in flight may repeat: " + twice);
        assertTrue(beforeKill.containsAll(twice), "a repeated notice was one sent before the kill: " + twice);
        // the same for the informs snmptrapd acknowledged
        List<String> informProblems = new ArrayList<>();
        int informedTwice = 0;
        for (long id = range[0]; id <= range[1]; id++) {
            int n = Faults.informs(trapWork, notification + ".cert" + id + ".d30");
            if (n == 2) {
                informedTwice++;
            } else if (n != 1) {
                informProblems.add(id + ": " + n);
            }
        }
        assertEquals(List.of(), informProblems, "every notice informed, none more than twice");
        assertTrue(informedTwice <= 1, informedTwice + " informs repeated; only the one in flight may");
    }

    static List<String> messageIds(GreenMail smtp) {
        List<String> ids = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                ids.add(m.getMessageID());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }
}
