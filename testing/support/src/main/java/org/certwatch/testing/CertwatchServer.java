package org.certwatch.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The real distribution started as a child process, the way a user starts it: its own copy of the
 * distribution, its own data folder with {@code etc/} and {@code deploy/} beside it (the defaults;
 * created empty here, so tests may put files there before the first start) and ephemeral ports passed
 * through the environment contract.
 */
public final class CertwatchServer implements AutoCloseable {
    /** Generous: on a machine shared with other builds (load 40+ on 2 cores) a start has taken over 90 s. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final Path home;
    private final Path data;
    private final Map<String, String> environment;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile String pending = "";
    /** The JVM options {@code bin/certwatch} uses when CERTWATCH_JAVA_OPTS is unset. */
    public static final String DEFAULT_JAVA_OPTS = "-Xms32m -Xmx256m -XX:+UseSerialGC -Xshare:auto -XX:TieredStopAtLevel=1";

    private Process process;
    private boolean echo = true;
    private Thread reader;

    private CertwatchServer(Path home, Path data, Map<String, String> environment) {
        this.home = home;
        this.data = data;
        this.environment = environment;
    }

    /** Copies the distribution into a fresh folder under the work root and prepares a server on free ports. */
    public static CertwatchServer prepare(String name) throws IOException {
        Path work = Files.createDirectories(Path.of(System.getProperty("certwatch.workRoot", "target/it-work")))
                .resolve(name + "-" + System.nanoTime());
        Path home = work.resolve("certwatch");
        copyTree(Path.of(System.getProperty("certwatch.distribution")), home);
        Files.createDirectories(work.resolve("etc"));
        Files.createDirectories(work.resolve("deploy"));
        return ofRelease(home, work.resolve("data"));
    }

    /**
     * A server of a release as it is (an unpacked archive, not copied) on this data folder, with
     * {@code etc/} and {@code deploy/} by default beside it, on free ports.
     */
    public static CertwatchServer ofRelease(Path home, Path data) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CERTWATCH_DATA", data.toString());
        env.put("CERTWATCH_BIND", "127.0.0.1");
        env.put("CERTWATCH_SNMP_PORT", Integer.toString(freeUdpPort()));
        env.put("CERTWATCH_HTTPS_PORT", Integer.toString(freeTcpPort()));
        env.put("CERTWATCH_AGENT_PORT", Integer.toString(freeTcpPort()));
        return new CertwatchServer(home, data, env);
    }

    /** Another release on this server's data folder, environment and ports (an upgrade or a rollback). */
    public CertwatchServer withRelease(Path otherHome) {
        return new CertwatchServer(otherHome, data, new HashMap<>(environment));
    }

    /** A second server on this server's data folder (and ports). */
    public CertwatchServer sharingDataFolder() throws IOException {
        CertwatchServer other = prepare("shared");
        other.environment.putAll(environment);
        return new CertwatchServer(other.home, data, other.environment);
    }

    /** Stops echoing the server's output (benchmarks). */
    public CertwatchServer quiet() {
        echo = false;
        return this;
    }

    public CertwatchServer env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public String env(String name) {
        return environment.get(name);
    }

    public Path home() {
        return home;
    }

    public Path data() {
        return data;
    }

    /** The admin's drop-in folder: by default beside the data folder. */
    public Path deploy() {
        return data.resolveSibling("deploy");
    }

    /** The admin's configuration folder: by default beside the data folder. */
    public Path etc() {
        return data.resolveSibling("etc");
    }

    public CertwatchServer start() throws IOException {
        return start(List.of(home.resolve("bin/certwatch").toString()));
    }

    /**
     * Starts the server in the foreground on a pseudo-terminal (util-linux {@code script}), as a user
     * in a terminal does, so its console opens; {@link #type} writes lines to it.
     */
    public CertwatchServer startOnTerminal() throws IOException {
        String command = "'" + home.resolve("bin/certwatch").toString().replace("'", "'\\''") + "'";
        return start(List.of("script", "-qfec", command, "/dev/null"));
    }

    /** Types one line on the terminal of {@link #startOnTerminal}, encoded as UTF-8 as a terminal does. */
    public void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    private CertwatchServer start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("CERTWATCH_"));
        builder.environment().putAll(environment);
        process = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                // by character, not readLine: a prompt that waits for input ends no line (pendingLine)
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    if (c != '\n') {
                        line.append((char) c);
                        if (!in.ready()) {
                            pending = line.toString();
                        }
                        continue;
                    }
                    String complete = line.length() > 0 && line.charAt(line.length() - 1) == '\r'
                            ? line.substring(0, line.length() - 1) : line.toString();
                    line.setLength(0);
                    pending = "";
                    output.add(complete);
                    if (echo) {
                        System.out.println("[server] " + complete);
                    }
                }
                if (line.length() > 0) {
                    output.add(line.toString());
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    public CertwatchServer startAndAwaitReady() throws IOException {
        start();
        awaitLog(line -> line.contains("certwatch ready"), START_TIMEOUT);
        return this;
    }

    public Process process() {
        return process;
    }

    public List<String> output() {
        return new ArrayList<>(output);
    }

    /** What the server wrote after its last complete line: a prompt that waits for input (e.g. a password's). */
    public String pendingLine() {
        return pending;
    }

    /** Waits for a log line written from now on or before; fails with the log tail on timeout. */
    public String awaitLog(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (System.nanoTime() < deadline) {
            List<String> lines = output();
            for (; checked < lines.size(); checked++) {
                if (matcher.test(lines.get(checked))) {
                    return lines.get(checked);
                }
            }
            if (!process.isAlive() && outputComplete() && checked >= output.size()) {
                throw new AssertionError("server exited with " + process.exitValue() + " before the expected log line; log:\n"
                        + String.join("\n", output()));
            }
            pause();
        }
        throw new AssertionError("no matching log line within " + timeout + "; log:\n" + String.join("\n", output()));
    }

    /** True once everything the exited process wrote has been read. */
    private boolean outputComplete() {
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !reader.isAlive();
    }

    public boolean logContains(Predicate<String> matcher) {
        return output().stream().anyMatch(matcher);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause();
        }
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Sends one command line to a probe bundle's loopback port; empty when the probe is not there. */
    public Optional<String> probe(String symbolicName, String command) {
        Path portFile = data.resolve("probes").resolve(symbolicName + ".port");
        try {
            int port = Integer.parseInt(Files.readString(portFile).trim());
            return Optional.of(request(port, command));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Optional<String> probeAnswer(String symbolicName) {
        return probe(symbolicName, "answer");
    }

    /**
     * A password in a file of its own, mode 0600, beside the data folder, for a console command's
     * {@code --password-file}: the console takes no password as an argument, and the bridge has no terminal.
     */
    public Path passwordFile(String password) throws IOException {
        Path folder = Files.createDirectories(data.resolveSibling("passwords"));
        Path file = Files.createTempFile(folder, "password-", "");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, password + "\n");
        return file;
    }

    /**
     * Runs a Gogo command through the test Gogo bridge (deploy {@link TestBundles#gogoBridge()} first);
     * returns what it printed. Fails when the command fails.
     */
    public String gogo(String command) throws IOException {
        Path portFile = data.resolve("gogo.port");
        await("the test Gogo bridge", Duration.ofSeconds(60), () -> Files.exists(portFile));
        int port = Integer.parseInt(Files.readString(portFile).trim());
        String answer = request(port, command, Duration.ofMinutes(2));
        if (!answer.startsWith("ok")) {
            throw new IOException("gogo '" + command + "': " + answer);
        }
        return answer.substring(2).strip();
    }

    /** Retries a Gogo command until it succeeds (services register asynchronously after a start). */
    public String awaitGogo(String command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return gogo(command);
            } catch (IOException | NumberFormatException e) {
                last = e instanceof IOException io ? io : new IOException(e);
            }
            pause();
        }
        throw new AssertionError("gogo '" + command + "' did not succeed within " + timeout + ": " + last);
    }

    /**
     * Before the first start: deploys only the named features of the release (e.g. to measure the
     * {@code core} feature alone); the others count as taken out by the admin, so the launcher leaves
     * them out (its record of the release's features in {@code deploy/.release-features}).
     */
    public CertwatchServer onlyFeatures(String... ids) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("features"))) {
            for (Path feature : files.filter(f -> f.getFileName().toString().endsWith(".feature.xml")).sorted().toList()) {
                String id = feature.getFileName().toString().replace(".feature.xml", "");
                all.add(id);
                if (List.of(ids).contains(id)) {
                    Files.copy(feature, deploy().resolve(feature.getFileName()));
                }
            }
        }
        Files.write(deploy().resolve(".release-features"), all);
        return this;
    }

    /** Sends one line to the test clock's control port and returns its answer. */
    public String clock(String command) throws IOException {
        int port = Integer.parseInt(Files.readString(data.resolve("testclock.port")).trim());
        return request(port, command);
    }

    public static String request(int port, String command) throws IOException {
        return request(port, command, Duration.ofSeconds(5));
    }

    /** Sends one line to a probe bundle (e.g. the store driver) and waits up to {@code timeout} for its answer. */
    public String probe(String symbolicName, String command, Duration timeout) throws IOException {
        Path portFile = data.resolve("probes").resolve(symbolicName + ".port");
        return request(Integer.parseInt(Files.readString(portFile).trim()), command, timeout);
    }

    public static String request(int port, String command, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout((int) timeout.toMillis());
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            out.write(command + "\n");
            out.flush();
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                answer.append(line).append('\n');
            }
            return answer.toString().trim();
        }
    }

    /** Writes a file into place atomically, as a user's {@code mv} would, so no half-written file is seen. */
    public static void placeAtomically(Path source, Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void writeAtomically(Path target, String content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** SIGTERM, then waits; returns the exit code, or fails if the server does not stop in time. */
    public int stop(Duration timeout) throws InterruptedException {
        // the handle, not Process.destroy(): that one also closes the pipes and loses the last lines
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("server did not stop within " + timeout + " after SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            // the server under script(1) is a child of it; end it first
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source.resolve("bin"))) {
            throw new IOException("no distribution at " + source + " (build it with mvn install)");
        }
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
