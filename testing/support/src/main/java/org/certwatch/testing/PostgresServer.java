package org.certwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests (Debian's {@code postgresql}): {@code initdb} and {@code postgres} on an
 * ephemeral loopback port, with the data folder, the UNIX socket and {@code output.log} in one folder. PostgreSQL
 * refuses to run as root, so when the tests run as root (CI) it runs as the {@code postgres} user through
 * {@code runuser}, and the folder must be reachable by that user (never under root's 0700 home: {@link #start()}
 * takes one under the system's temporary folder). It holds the database {@value #DATABASE}, owned by the user
 * {@value #USER} who logs in over TCP with the password in {@link #passwordFile()} (scram-sha-256); the UNIX socket
 * trusts the superuser {@code postgres}, which {@link #sql} uses.
 *
 * <p>{@link #halt()} (a fast shutdown), {@link #kill9()} and {@link #restart()} (same data, same port) are for
 * fault tests; {@link #close()} stops it for good. A later fault test can put a proxy between a client and the
 * server by handing the client {@link #jdbcUrl(int)} with the proxy's port.
 */
public final class PostgresServer implements AutoCloseable {
    /** The key password {@link #prepareServer} gives every server on one database. */
    public static final String SHARED_KEY_PASSWORD = "shared-key-password";

    public static final String DATABASE = "certwatch";
    public static final String USER = "certwatch";
    private static final Duration START = Duration.ofSeconds(120);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path folder;
    private final boolean owned;
    private final Path bin;
    private final int port;
    private final Map<String, String> settings;
    private final Path passwordFile;
    private Process process;

    private PostgresServer(Path folder, boolean owned, Map<String, String> settings) throws IOException {
        this.folder = folder;
        this.owned = owned;
        this.bin = binaries();
        this.port = CertwatchServer.freeTcpPort();
        this.settings = settings;
        this.passwordFile = folder.resolve("password");
    }

    /** A new server in a folder of its own under the temporary folder, removed by {@link #close()}. */
    public static PostgresServer start() throws Exception {
        Path folder = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "certwatch-pg-");
        return start(folder, true, Map.of());
    }

    /**
     * A new server in {@code folder} (created; what is there already, such as certificate files, stays) with
     * {@code settings} as {@code -c name=value} options; the folder is kept on {@link #close()} for its logs.
     */
    public static PostgresServer start(Path folder, Map<String, String> settings) throws Exception {
        return start(Files.createDirectories(folder), false, settings);
    }

    private static PostgresServer start(Path folder, boolean owned, Map<String, String> settings) throws Exception {
        PostgresServer server = new PostgresServer(folder, owned, new LinkedHashMap<>(settings));
        try {
            server.initialise();
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public Path folder() {
        return folder;
    }

    /** The JDBC URL of the database on this server's port. */
    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    /** The JDBC URL of the database on another port that leads to this server (a proxy's). */
    public String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A file holding the password of {@value #USER} (no line end), readable by the test's user only. */
    public Path passwordFile() {
        return passwordFile;
    }

    public String password() throws IOException {
        return Files.readString(passwordFile, StandardCharsets.UTF_8);
    }

    /**
     * Points a certwatch server at this database: its configuration folder gets the password file
     * ({@code postgresql-password}) and {@code org.certwatch.persistence.postgresql.cfg} with the URL and the user,
     * so the server starts on the PostgreSQL backend.
     */
    public void configure(Path etc) throws IOException {
        Files.copy(passwordFile, etc.resolve("postgresql-password"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(etc.resolve("org.certwatch.persistence.postgresql.cfg"),
                "url = " + jdbcUrl() + "\nuser = " + USER + "\n", StandardCharsets.UTF_8);
    }

    /**
     * A certwatch server (not started) on this database, with the key password every server sharing it
     * uses: the store is shared, so a server with another key password cannot open it.
     */
    public CertwatchServer prepareServer(String name) throws IOException {
        CertwatchServer server = CertwatchServer.prepare(name).env("CERTWATCH_KEY_PASSWORD", SHARED_KEY_PASSWORD);
        configure(server.etc());
        return server;
    }

    /** Runs SQL as the superuser in the database {@value #DATABASE}; answers psql's unaligned output. */
    public String sql(String sql) throws Exception {
        return run(new ProcessBuilder(bin.resolve("psql").toString(), "-h", folder.toString(), "-p",
                Integer.toString(port), "-U", "postgres", "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c",
                sql));
    }

    /** A fast shutdown (clients are disconnected, the data stays); {@link #restart()} brings it back. */
    public void halt() throws Exception {
        if (process != null && process.isAlive()) {
            postmaster().ifPresent(pid -> signal("INT", pid));
            awaitExit();
        }
    }

    /** SIGKILL to the server and every process it started (a crash); {@link #restart()} recovers it. */
    public void kill9() throws Exception {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            for (ProcessHandle handle : all) {
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same data folder and port, after {@link #halt()} or {@link #kill9()}. */
    public void restart() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("PostgreSQL is still running on port " + port);
        }
        launch();
    }

    /** Stops the server (fast shutdown, SIGKILL if it does not end) and removes a folder it made itself. */
    @Override
    public void close() throws Exception {
        try {
            halt();
        } finally {
            if (process != null && process.isAlive()) {
                kill9();
            }
            if (owned) {
                delete(folder);
            }
        }
    }

    private void initialise() throws Exception {
        Path data = folder.resolve("data");
        if (ROOT) {
            run(new ProcessBuilder("chown", "-R", "postgres:postgres", folder.toString()));
        }
        run(asServerUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-E", "UTF8",
                "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"));
        launch();
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        run(new ProcessBuilder(bin.resolve("psql").toString(), "-h", folder.toString(), "-p", Integer.toString(port),
                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                "-c", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'",
                "-c", "CREATE DATABASE " + DATABASE + " OWNER " + USER));
    }

    private void launch() throws Exception {
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D",
                folder.resolve("data").toString(), "-p", Integer.toString(port), "-k", folder.toString(),
                "-c", "listen_addresses=127.0.0.1"));
        settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        process = asServerUser(command.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("output.log").toFile())).start();
        CertwatchServer.await("PostgreSQL on port " + port + " (see " + folder.resolve("output.log") + ")", START,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("PostgreSQL ended at start: " + log());
                    }
                    return accepting();
                });
    }

    private boolean accepting() {
        try {
            Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", folder.toString(),
                    "-p", Integer.toString(port), "-d", "postgres").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return ready.waitFor(30, TimeUnit.SECONDS) && ready.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The postmaster's process id, from the first line of {@code postmaster.pid}. */
    private Optional<Long> postmaster() throws IOException {
        Path pidFile = folder.resolve("data/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitExit() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill9();
        }
    }

    private ProcessBuilder asServerUser(String... command) {
        List<String> line = new ArrayList<>();
        if (ROOT) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        return new ProcessBuilder(line).directory(folder.toFile());
    }

    private String log() {
        try {
            return Files.readString(folder.resolve("output.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output.log: " + e.getMessage() + ")";
        }
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", builder.command()) + " failed:\n" + out);
        }
        return out;
    }

    /** Debian keeps the server's programs under {@code /usr/lib/postgresql/VERSION/bin}; the newest one. */
    private static Path binaries() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            throw new AssertionError("no PostgreSQL under " + versions + " (install Debian's postgresql)");
        }
        try (Stream<Path> all = Files.list(versions)) {
            return all.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no PostgreSQL under " + versions + " (install postgresql)"));
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
