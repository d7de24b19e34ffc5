package org.certwatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch soak --minutes N}: the real distribution with 100,000 certificates and 2,000
 * simulated agents under SNMP, web, agent, issuance/revocation and moving-clock load for N minutes, one
 * bundle hot-redeployed every minute in turn; then the checks of {@link SoakVerdict}. Exit code 1 when
 * a check fails.
 */
public final class Soak {
    private static final int CERTIFICATES = Integer.getInteger("certwatch.soak.certificates", 100_000);
    private static final int AGENTS = Integer.getInteger("certwatch.soak.agents", 2_000);
    private static final String USER = "soak";

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = 30;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--minutes") && i + 1 < args.length) {
                minutes = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: ./certwatch soak [--minutes N]   (default 30)");
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("certwatch.root", "."));
        SoakVerdict verdict = run(minutes, root);
        verdict.write(root.resolve("target/soak"));
        System.out.println();
        System.out.print(verdict.text());
        System.out.println("report: " + root.resolve("target/soak/report.md"));
        System.exit(verdict.ok() ? 0 : 1);
    }

    private static SoakVerdict run(int minutes, Path root) throws Exception {
        long seed = System.nanoTime();
        System.out.println("soak: seed " + seed + ", " + minutes + " min, " + CERTIFICATES + " certificates, " + AGENTS
                + " agents");
        String secret = HexFormat.of().formatHex(java.security.SecureRandom.getInstanceStrong().generateSeed(8));
        String admin = "soak-admin-" + secret;
        String auth = "soak-auth-" + secret;
        String priv = "soak-priv-" + secret;
        // C2 and room for 100,000 certificates plus 2,000 computers, as README.md's CERTWATCH_JAVA_OPTS
        // advises for a large fleet
        String serverOpts = System.getenv().getOrDefault("CERTWATCH_SOAK_SERVER_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC");
        ServerClock clock = new ServerClock();
        SoakLedger ledger = new SoakLedger();
        ScheduledExecutorService observers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-observer");
            t.setDaemon(true);
            return t;
        });
        try (MailReceiver mail = new MailReceiver(); InformReceiver informs = new InformReceiver();
                CertwatchServer server = CertwatchServer.prepare("soak").quiet().env("CERTWATCH_JAVA_OPTS", serverOpts)
                        .env("CERTWATCH_ADMIN_PASSWORD", admin).env("CERTWATCH_SNMP_USER", USER)
                        .env("CERTWATCH_SNMP_AUTH_PASSWORD", auth).env("CERTWATCH_SNMP_PRIV_PASSWORD", priv)) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:" + informs.port()
                    + ",v2c,inform,public\n");
            // sessions expire by the server's clock, which the soak moves 2 h a minute: the longest idle time allowed
            Files.writeString(server.etc().resolve("org.certwatch.web.cfg"), "session.idle.minutes = "
                    + SoakLoad.SESSION_IDLE.toMinutes() + "\n");
            // the clock moves 2 h per wall minute, so a replication queued for a few seconds on a busy machine
            // would look an hour off: the skew the fleet tolerates matches the soak's time-lapse
            Files.writeString(server.etc().resolve("org.certwatch.fleet.cfg"), "max.clock.skew.seconds = 3600\n");
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("SNMP agent listening"), Duration.ofSeconds(120));
            server.awaitLog(l -> l.contains("web: listening"), Duration.ofSeconds(120));
            server.awaitLog(l -> l.contains("agent endpoint listening"), Duration.ofSeconds(120));
            for (Path bundle : List.of(TestBundles.gogoBridge(), TestBundles.storeDriver(), TestBundles.testClock(),
                    TestBundles.monitorControl())) {
                CertwatchServer.placeAtomically(bundle, server.deploy().resolve(bundle.getFileName()));
            }
            CertwatchServer.await("test bundles", Duration.ofSeconds(120), () -> Files.exists(server.data().resolve("testclock.port"))
                    && server.probe("org.certwatch.storedriver", "cas").map(a -> a.contains("CA")).orElse(false)
                    && server.probe("org.certwatch.monitorctl", "evaluated").orElse("").startsWith("ok"));

            // the agents' certificates and the server's count towards the 100,000
            long t0 = System.nanoTime();
            String issued = server.probe("org.certwatch.storedriver", "issue " + (CERTIFICATES - 1 - AGENTS) + " 365 All/Bulk",
                    Duration.ofMinutes(30));
            if (!issued.startsWith("ok")) {
                throw new IllegalStateException("bulk issuance failed: " + issued);
            }
            String[] range = issued.split(" ");
            System.out.printf("soak: issued %d certificates in %.0f s%n", CERTIFICATES - 1 - AGENTS, (System.nanoTime() - t0) / 1e9);

            String token = server.awaitGogo("certwatch:enrol-token All " + AGENTS + " 24", Duration.ofSeconds(60));
            int agentPort = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            try (Simulator agents = new Simulator(server.data().resolveSibling("agents"), "127.0.0.1", agentPort, AGENTS, 8, clock);
                    SnmpLoad snmp = new SnmpLoad(USER, auth, priv)) {
                t0 = System.nanoTime();
                List<String> failed = agents.enrolAll(token);
                if (!failed.isEmpty()) {
                    throw new IllegalStateException(failed.size() + " enrolments failed, first: " + failed.get(0));
                }
                System.out.printf("soak: enrolled %d agents in %.0f s%n", AGENTS, (System.nanoTime() - t0) / 1e9);

                control(server, "mail 127.0.0.1 " + mail.port() + " NONE certwatch@example.org");
                String notification = control(server, "notify AGENT 1 soak@example.org " + SoakLoad.SOAK_GROUP + " snmp");
                System.out.println("soak: notification " + notification + " (AGENT certificates in " + SoakLoad.SOAK_GROUP
                        + ", 1 day and expiry, e-mail and inform)");

                JournalTail journal = new JournalTail(server.data().resolve("monitor/journal.log"));
                observers.scheduleWithFixedDelay(() -> {
                    try {
                        journal.poll();
                        mail.poll();
                    } catch (Exception e) {
                        System.err.println("soak: observer: " + e);
                    }
                }, 0, 250, TimeUnit.MILLISECONDS);
                List<ServerVitals.Sample> vitals = new CopyOnWriteArrayList<>();
                long pid = server.process().pid();
                observers.scheduleWithFixedDelay(() -> {
                    try {
                        vitals.add(ServerVitals.sample(pid));
                    } catch (Exception e) {
                        System.err.println("soak: vitals: " + e);
                    }
                }, 15, 15, TimeUnit.SECONDS);

                java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Integer>> firstThreads =
                        new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of());
                observers.schedule(() -> {
                    try {
                        firstThreads.set(ServerVitals.threadNames(pid));
                    } catch (Exception e) {
                        System.err.println("soak: threads: " + e);
                    }
                }, 30, TimeUnit.SECONDS);
                Instant loadStart = Instant.now();
                SoakLoad load = SoakLoad.start(server, ledger, clock, seed, admin, Long.parseLong(range[1]),
                        Long.parseLong(range[2]), snmp, nmsTarget(Integer.parseInt(server.env("CERTWATCH_SNMP_PORT"))),
                        agents);
                long end = System.currentTimeMillis() + Duration.ofMinutes(minutes).toMillis();
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(Math.min(60_000, Math.max(1, end - System.currentTimeMillis())));
                    System.out.printf(Locale.ROOT, "soak: %s %s, %d failures so far, %d notices, %d mails, %d informs, clock +%s%n",
                            Instant.now(), ledger.requestCounts(), ledger.failures().size(), journal.notices().size(),
                            mail.receipts().size(), informs.receipts().size(), clock.offset());
                }
                // the last vitals sample of the last minute is taken under load
                vitals.add(ServerVitals.sample(pid));
                java.util.Map<String, Integer> lastThreads = ServerVitals.threadNames(pid);
                // which class loaders hold the metaspace (old bundle revisions would show here)
                Files.createDirectories(root.resolve("target/soak"));
                Files.writeString(root.resolve("target/soak/classloaders.txt"), ServerVitals.jcmd(pid, "VM.classloader_stats"));
                Files.writeString(root.resolve("target/soak/classes-by-loader.txt"), ServerVitals.jcmd(pid, "VM.classloaders show-classes"));
                if (Boolean.getBoolean("certwatch.soak.heapDump")) {
                    Path dump = root.resolve("target/soak/heap.hprof").toAbsolutePath();
                    Files.deleteIfExists(dump);
                    ServerVitals.jcmd(pid, "GC.heap_dump " + dump);
                }
                Instant loadEnd = Instant.now();
                load.stop();
                System.out.println("soak: load stopped; waiting for the outbox to drain");
                boolean drained = drained(server);
                Thread.sleep(2000);
                journal.poll();
                mail.poll();
                observers.shutdownNow();
                observers.awaitTermination(30, TimeUnit.SECONDS);
                journal.poll();
                mail.poll();
                int exit = server.stop(Duration.ofSeconds(60));
                List<String> log = new ArrayList<>(server.output());
                if (exit != 0) {
                    log.add("ERROR soak: the server exited with " + exit + " after SIGTERM");
                }
                String setup = String.format(Locale.ROOT, "%,d certificates, %,d agents, server `%s`, %d cores (shared)",
                        CERTIFICATES, AGENTS, serverOpts, Runtime.getRuntime().availableProcessors());
                return SoakVerdict.judge(new SoakVerdict.Inputs(loadStart, loadEnd, seed, setup, journal.notices(),
                        mail.receipts(), informs.receipts(), ledger, List.copyOf(vitals), firstThreads.get(), lastThreads, log, load.redeploys(),
                        load.soakCertificates(), drained));
            }
        } finally {
            observers.shutdownNow();
        }
    }

    /** v3 authPriv with an NMS's patience (3 s, 2 retries) rather than the benchmark's 2 s and 1 retry. */
    private static org.snmp4j.Target<org.snmp4j.smi.UdpAddress> nmsTarget(int port) throws java.io.IOException {
        org.snmp4j.Target<org.snmp4j.smi.UdpAddress> target = SnmpLoad.v3(port, USER);
        target.setTimeout(3000);
        target.setRetries(2);
        return target;
    }

    /** A command of the monitor's test control bundle; its answer after "ok", or an exception. */
    static String control(CertwatchServer server, String command) {
        String answer = server.probe("org.certwatch.monitorctl", command).orElse("error no monitorctl");
        if (!answer.startsWith("ok")) {
            throw new IllegalStateException(command + " -> " + answer);
        }
        return answer.substring(2).trim();
    }

    /** Every notice confirmed by every channel (the outbox empty), within 3 minutes. */
    private static boolean drained(CertwatchServer server) {
        try {
            CertwatchServer.await("the outbox drained", Duration.ofMinutes(3),
                    () -> server.probe("org.certwatch.monitorctl", "outbox").orElse("").equals("ok 0"));
            return true;
        } catch (AssertionError e) {
            System.out.println("soak: outbox not drained: " + server.probe("org.certwatch.monitorctl", "outbox").orElse("?"));
            return false;
        }
    }
}
