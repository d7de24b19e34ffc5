package org.certwatch.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * {@code certwatch agent --server HOST:PORT --data DIR [--token T | --pkcs12 FILE --password P]
 * [--tls 1.2|1.3] [--simulate N] [--threads T] [--once]}: enrols on first start, then replicates at the interval the
 * server gives it, through outages and restarts of the server, until stopped.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        String server = null;
        Path data = null;
        String token = null;
        Path pkcs12 = null;
        String password = null;
        int simulate = 0;
        int threads = 8;
        boolean once = false;
        TlsVersion tls = TlsVersion.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--server" -> server = value(args, ++i, a);
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--token" -> token = value(args, ++i, a);
                case "--pkcs12" -> pkcs12 = Path.of(value(args, ++i, a));
                case "--password" -> password = value(args, ++i, a);
                case "--simulate" -> simulate = Integer.parseInt(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--once" -> once = true;
                case "--tls" -> tls = tlsVersion(value(args, ++i, a));
                default -> usage("unknown argument " + a);
            }
        }
        // set before any TLS class loads (the JDK reads it once); -Djdk.tls.namedGroups=… overrides it
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", tls.namedGroups());
        }
        if (server == null || data == null) {
            usage("--server and --data are required");
        }
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            usage("--server is HOST:PORT");
        }
        String host = server.substring(0, colon);
        int port = Integer.parseInt(server.substring(colon + 1));
        if (simulate > 0) {
            simulate(host, port, data, simulate, threads, token, once, tls);
            return;
        }
        Agent agent = new Agent(data, host, port, hostName(), Clock.systemUTC()).tls(tls);
        if (!agent.enrolled()) {
            if (token != null) {
                agent.enrol(token);
                log("enrolled: certificate " + agent.certificate().getSubjectX500Principal());
            } else if (pkcs12 != null && password != null) {
                agent.importPkcs12(pkcs12, password.toCharArray());
                log("imported " + pkcs12 + ": certificate " + agent.certificate().getSubjectX500Principal());
            } else {
                usage("not enrolled yet: give --token T or --pkcs12 FILE --password P");
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        long interval;
        do {
            Agent.Outcome o = agent.replicate();
            log((o.ok() ? "" : "replication failed: ") + o.message() + "; next in " + o.interval() + " s");
            if (once) {
                System.exit(o.ok() ? 0 : 1);
            }
            interval = o.interval();
        } while (!stop.await(interval, java.util.concurrent.TimeUnit.SECONDS));
    }

    private static void simulate(String host, int port, Path data, int n, int threads, String token, boolean once,
            TlsVersion tls) throws IOException, InterruptedException {
        try (Simulator sim = new Simulator(data, host, port, n, threads, Clock.systemUTC())) {
            sim.tls(tls);
            if (token != null) {
                var failures = sim.enrolAll(token);
                log("enrolled " + (n - failures.size()) + " of " + n + " agents" + (failures.isEmpty() ? "" : "; first failure: " + failures.get(0)));
            }
            if (once) {
                long ok = sim.round().stream().filter(Agent.Outcome::ok).count();
                log(ok + " of " + n + " agents replicated");
                System.exit(ok == n ? 0 : 1);
            }
            sim.start(AgentMain::log);
            new CountDownLatch(1).await();
        }
    }

    private static TlsVersion tlsVersion(String text) {
        try {
            return TlsVersion.parse(text);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return TlsVersion.DEFAULT;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a value");
        }
        return args[i];
    }

    static void log(String message) {
        System.out.println(Instant.now() + " certwatch-agent: " + message);
    }

    private static void usage(String problem) {
        System.err.println("certwatch agent: " + problem);
        System.err.println("usage: certwatch agent --server HOST:PORT --data DIR [--token T | --pkcs12 FILE --password P]"
                + " [--tls 1.2|1.3] [--simulate N [--threads T]] [--once]");
        System.exit(2);
    }
}
