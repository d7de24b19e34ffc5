package org.certwatch.bench;

import static org.certwatch.bench.Figure.last;
import static org.certwatch.bench.SharedBench.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.certwatch.testing.CertwatchServer;

/**
 * The shared benchmark's last figure, the outbox's failover: the leader SIGKILLed while notices stream in, to the new
 * leader's first mail; and the notices mailed twice so far (the at-least-once rule allows the ones in flight).
 */
final class SharedFailover {
    private static final int FAILOVERS = Integer.getInteger("certwatch.bench.shared.failovers", Figure.MIN_SAMPLES);
    /** Four times issue 21's 15 s: a failover that takes longer is a failure, not a slow sample. */
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);

    private SharedFailover() {
    }

    /** The failovers between {@code a} and {@code b}, as many as succeed, and their two figures. */
    static List<Figure> measure(CertwatchServer a, CertwatchServer b) {
        List<Double> failovers = new ArrayList<>();
        List<Double> resent = new ArrayList<>();
        try {
            failover(a, b, failovers, resent);
        } catch (Exception | AssertionError e) {
            // the figures before stay in the report; this one shows the samples it got and fails its target
            System.out.println("failover stopped: " + e);
            e.printStackTrace(System.out);
        }
        return List.of(new Figure("shared: outbox failover, leader SIGKILLed while notices stream in, to the new"
                + " leader's first mail (none within " + FAILOVER_WAIT.toSeconds() + " s ends the samples)", "s", failovers,
                "", List.of(), "≤ 15 s", false),
                new Figure("shared: notices mailed twice after the failovers so far (at least once)", "notices",
                        resent, "", List.of(), "—", false));
    }

    /**
     * The leader SIGKILLed while test notices stream into the shared outbox through the other server (one every
     * 20 ms): from the kill until the survivor's log says it mailed a notice. The killed server is started again as
     * the follower; the next sample kills the other one.
     */
    private static void failover(CertwatchServer a, CertwatchServer b, List<Double> seconds, List<Double> resent)
            throws Exception {
        try (MailReceiver mail = new MailReceiver()) {
            Soak.control(a, "mail 127.0.0.1 " + mail.port() + " NONE certwatch@example.org");
            String notification = Soak.control(a, "notify AGENT 30 ops@example.org All");
            CertwatchServer.await("B has the notification", WAIT,
                    () -> List.of(Soak.control(b, "notifications").split(" ")).contains(notification));
            Map<CertwatchServer, Integer> starts = new HashMap<>();
            for (int sample = 1; sample <= FAILOVERS; sample++) {
                CertwatchServer leader = leader(a, b, starts);
                CertwatchServer survivor = leader == a ? b : a;
                int mailedBefore = mailed(survivor);
                AtomicBoolean streaming = new AtomicBoolean(true);
                Thread queue = new Thread(() -> {
                    while (streaming.get()) {
                        survivor.probe("org.certwatch.monitorctl", "sendtestnotice " + notification);
                        pause(20);
                    }
                }, "shared-bench-notices");
                queue.start();
                try {
                    int leaderMailed = mailed(leader);
                    CertwatchServer.await("the leader mailing", WAIT, () -> mailed(leader) >= leaderMailed + 20);
                    leader.process().destroyForcibly().waitFor(); // SIGKILL
                    long killed = System.nanoTime();
                    CertwatchServer.await("a notice mailed by the new leader (" + survivor.data() + ")", FAILOVER_WAIT,
                            () -> mailed(survivor) > mailedBefore);
                    seconds.add((System.nanoTime() - killed) / 1e9);
                } finally {
                    streaming.set(false);
                    queue.join();
                }
                CertwatchServer.await("outbox empty", WAIT, () -> Soak.control(survivor, "outbox").startsWith("0"));
                mail.poll();
                List<MailReceiver.Receipt> receipts = mail.receipts();
                Set<String> distinct = new HashSet<>();
                receipts.forEach(x -> distinct.add(x.noticeId()));
                resent.add((double) (receipts.size() - distinct.size()));
                System.out.printf(Locale.ROOT, "failover %d: the new leader mailed %.2f s after the SIGKILL; %d notices"
                        + " mailed so far, %d of them a second time (at least once)%n", sample, last(seconds),
                        receipts.size(), receipts.size() - distinct.size());
                starts.put(leader, restart(leader));
            }
        }
    }

    private static int mailed(CertwatchServer server) {
        return (int) server.output().stream().filter(l -> l.contains("mailed to [")).count();
    }

    /** The server whose latest leadership line says it leads, once exactly one does; {@code starts}: see leads. */
    private static CertwatchServer leader(CertwatchServer a, CertwatchServer b, Map<CertwatchServer, Integer> starts) {
        CertwatchServer[] found = {null};
        CertwatchServer.await("exactly one leader", WAIT, () -> {
            boolean aLeads = leads(a, starts.getOrDefault(a, 0));
            boolean bLeads = leads(b, starts.getOrDefault(b, 0));
            found[0] = aLeads ? a : b;
            return aLeads != bLeads;
        });
        return found[0];
    }

    /**
     * Whether the latest leadership line of the server's current process (its output from line {@code from} on)
     * says it leads: the lease keeper logs changes only, so a server started again says nothing while it follows,
     * and the killed process's "is the leader" must not count.
     */
    private static boolean leads(CertwatchServer server, int from) {
        String latest = "";
        List<String> output = server.output();
        for (String line : output.subList(Math.min(from, output.size()), output.size())) {
            if (line.contains(") is the leader") || line.contains(") is not the leader")) {
                latest = line;
            }
        }
        return latest.contains(") is the leader") && server.process().isAlive();
    }

    /** Starts the killed server again; answers the index of its output's first line from the new process. */
    private static int restart(CertwatchServer server) throws Exception {
        int from = server.output().size();
        long ready = server.output().stream().filter(l -> l.contains("certwatch ready")).count();
        server.start();
        CertwatchServer.await("the killed server ready again", CertwatchServer.START_TIMEOUT,
                () -> server.output().stream().filter(l -> l.contains("certwatch ready")).count() > ready);
        CertwatchServer.await("its monitor control", WAIT,
                () -> server.probe("org.certwatch.monitorctl", "outbox").orElse("").startsWith("ok"));
        return from;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
