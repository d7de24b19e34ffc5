package org.certwatch.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code certwatch agent --server HOST:PORT --data DIR [--token-file FILE | --pkcs12 FILE --password-file FILE]
 * [--tls 1.2|1.3] [--simulate N] [--threads T] [--once]}: enrols on first start, then replicates at the interval the
 * server gives it, through outages and restarts of the server, until stopped. The enrolment token comes
 * from {@code --token-file} or the environment variable {@value #TOKEN_VARIABLE}, the PKCS#12 password
 * from {@code --password-file} or {@value #PASSWORD_VARIABLE}: never from the command line, which every
 * user of the computer can read ({@code ps}). A failure to start is one line on stderr and exit status 2.
 */
public final class AgentMain {
    static final String TOKEN_VARIABLE = "CERTWATCH_ENROLMENT_TOKEN";
    static final String PASSWORD_VARIABLE = "CERTWATCH_PKCS12_PASSWORD";
    static final String USAGE = "usage: certwatch agent --server HOST:PORT --data DIR [--token-file FILE"
            + " | --pkcs12 FILE --password-file FILE] [--tls 1.2|1.3] [--simulate N [--threads T]] [--once]\n"
            + "       (or the token in " + TOKEN_VARIABLE + ", the PKCS#12 password in " + PASSWORD_VARIABLE + ")";

    /** Why the agent cannot start: one line for stderr, and whether the usage belongs below it. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean usage;

        Failure(String message, boolean usage) {
            super(message);
            this.usage = usage;
        }
    }

    /** What the command line and the environment ask for. */
    record Options(String host, int port, Path data, String token, Path pkcs12, char[] password, int simulate,
            int threads, boolean once, TlsVersion tls) {
    }

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            Options options = parse(args, System.getenv());
            // set before any TLS class loads (the JDK reads it once); -Djdk.tls.namedGroups=… overrides it
            if (System.getProperty("jdk.tls.namedGroups") == null) {
                System.setProperty("jdk.tls.namedGroups", options.tls().namedGroups());
            }
            run(options);
        } catch (Failure f) {
            System.err.println("certwatch agent: " + f.getMessage());
            if (f.usage) {
                System.err.println(USAGE);
            }
            System.exit(2);
        }
    }

    static Options parse(String[] args, Map<String, String> env) throws Failure {
        String server = null;
        Path data = null;
        Path tokenFile = null;
        Path pkcs12 = null;
        Path passwordFile = null;
        int simulate = 0;
        int threads = 8;
        boolean once = false;
        TlsVersion tls = TlsVersion.DEFAULT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--server" -> server = value(args, ++i, a);
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--token-file" -> tokenFile = Path.of(value(args, ++i, a));
                case "--pkcs12" -> pkcs12 = Path.of(value(args, ++i, a));
                case "--password-file" -> passwordFile = Path.of(value(args, ++i, a));
                case "--simulate" -> simulate = number(value(args, ++i, a), a);
                case "--threads" -> threads = number(value(args, ++i, a), a);
                case "--once" -> once = true;
                case "--tls" -> tls = tlsVersion(value(args, ++i, a));
                case "--token", "--password" -> throw new Failure(a + " is not taken: a secret on the command line is"
                        + " visible to every user (ps); use " + a + "-file FILE or the environment variable "
                        + (a.equals("--token") ? TOKEN_VARIABLE : PASSWORD_VARIABLE), true);
                default -> throw new Failure("unknown argument " + a, true);
            }
        }
        if (server == null || data == null) {
            throw new Failure("--server and --data are required", true);
        }
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
            throw new Failure("--server is HOST:PORT, not " + server, true);
        }
        String token = secret(tokenFile, env.get(TOKEN_VARIABLE), "enrolment token");
        String password = secret(passwordFile, env.get(PASSWORD_VARIABLE), "PKCS#12 password");
        return new Options(server.substring(0, colon), number(server.substring(colon + 1), "--server's port"), data,
                token, pkcs12, password == null ? null : password.toCharArray(), simulate, threads, once, tls);
    }

    /** From the file when one is named (its first line), else from the environment; null when neither. */
    private static String secret(Path file, String fromEnvironment, String what) throws Failure {
        if (file == null) {
            return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
        }
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new Failure(file + " holds no " + what, false);
            }
            return text.lines().findFirst().orElseThrow().strip();
        } catch (IOException e) {
            throw new Failure("cannot read the " + what + " from " + file + ": " + reason(e), false);
        }
    }

    static void run(Options o) throws Failure, InterruptedException {
        String at = o.host() + ":" + o.port();
        try {
            if (o.simulate() > 0) {
                simulate(o.host(), o.port(), o.data(), o.simulate(), o.threads(), o.token(), o.once(), o.tls());
                return;
            }
            Agent agent = new Agent(o.data(), o.host(), o.port(), hostName(), Clock.systemUTC()).tls(o.tls());
            if (!agent.enrolled()) {
                if (o.token() != null) {
                    agent.enrol(o.token());
                    log("enrolled: certificate " + agent.certificate().getSubjectX500Principal());
                } else if (o.pkcs12() != null && o.password() != null) {
                    agent.importPkcs12(o.pkcs12(), o.password());
                    log("imported " + o.pkcs12() + ": certificate " + agent.certificate().getSubjectX500Principal());
                } else {
                    throw new Failure("not enrolled yet: give --token-file FILE (or " + TOKEN_VARIABLE
                            + "), or --pkcs12 FILE with --password-file FILE (or " + PASSWORD_VARIABLE + ")", true);
                }
            }
            replicate(agent, o.once());
        } catch (ConnectException | UnknownHostException | SocketTimeoutException e) {
            throw new Failure("cannot reach the server at " + at + ": " + reason(e), false);
        } catch (IOException | RuntimeException e) {
            throw new Failure(reason(e), false);
        }
    }

    private static void replicate(Agent agent, boolean once) throws InterruptedException {
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

    /** An exception's message on one line (a cause's when it has none of its own). */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().replaceAll("\\s*\\R\\s*", " ").strip();
            }
        }
        return e.getClass().getSimpleName();
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

    private static TlsVersion tlsVersion(String text) throws Failure {
        try {
            return TlsVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage(), true);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String value(String[] args, int i, String name) throws Failure {
        if (i >= args.length) {
            throw new Failure(name + " needs a value", true);
        }
        return args[i];
    }

    private static int number(String text, String name) throws Failure {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Failure(name + " must be a whole number, not '" + text + "'", true);
        }
    }

    static void log(String message) {
        System.out.println(Instant.now() + " certwatch-agent: " + message);
    }
}
