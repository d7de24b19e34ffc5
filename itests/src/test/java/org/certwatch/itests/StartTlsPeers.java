package org.certwatch.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real STARTTLS servers, one of each per test run (JUnit's root store closes them at its end): aiosmtpd (SMTP),
 * dovecot (IMAP, POP3; {@code ssl = required}), vsftpd (FTP), slapd (LDAP) and PostgreSQL ({@code ssl=on}), each
 * on a free loopback port with its own folder under {@code target/} and its own certificate made by openssl. Run
 * as root (CI), they run as {@code nobody} and PostgreSQL (the shared {@link PostgresServer}) as {@code postgres},
 * which refuse root or should not have it. Tests get them with {@code @ExtendWith(StartTlsPeers.Resolver.class)} and a parameter.
 */
final class StartTlsPeers implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(120);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final String USER = ROOT ? "nobody" : System.getProperty("user.name");

    /** A started server: where it listens and the leaf it presents. */
    record Peer(EndpointProtocol protocol, int port, X509Certificate certificate) {
        String fingerprint() {
            return StartTlsPeers.fingerprint(certificate);
        }
    }

    private final Path root;
    private final Map<EndpointProtocol, Peer> peers = new EnumMap<>(EndpointProtocol.class);
    private final List<Process> processes = new ArrayList<>();
    private PostgresServer postgres;

    private StartTlsPeers(Path root) {
        this.root = root;
    }

    Peer peer(EndpointProtocol protocol) {
        return peers.get(protocol);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StartTlsPeers start() throws Exception {
        Path root = Path.of(System.getProperty("certwatch.workRoot", "target/it-work")).toAbsolutePath()
                .resolve("starttls-peers");
        delete(root);
        Files.createDirectories(root);
        StartTlsPeers started = new StartTlsPeers(root);
        try {
            started.smtp();
            started.dovecot();
            started.ftp();
            started.ldap();
            started.postgresql();
        } catch (Exception | AssertionError e) {
            started.close();
            throw e;
        }
        return started;
    }

    private void smtp() throws Exception {
        Path dir = folder("smtp");
        int port = CertwatchServer.freeTcpPort();
        Path script = template(dir, "smtpd.py", Map.of());
        // Debian's interpreter: python3-aiosmtpd lives there, not in a pyenv python on PATH
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        launch(dir, USER, python, script.toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString(), Integer.toString(port));
        listening(EndpointProtocol.SMTP, port, dir);
    }

    private void dovecot() throws Exception {
        Path dir = folder("dovecot");
        int imap = CertwatchServer.freeTcpPort();
        int pop3 = CertwatchServer.freeTcpPort();
        Path config = template(dir, "dovecot.conf", Map.of("@IMAP_PORT@", Integer.toString(imap),
                "@POP3_PORT@", Integer.toString(pop3)));
        launch(dir, USER, "dovecot", "-F", "-c", config.toString());
        listening(EndpointProtocol.IMAP, imap, dir);
        listening(EndpointProtocol.POP3, pop3, dir);
    }

    private void ftp() throws Exception {
        Path dir = folder("ftp");
        Files.createDirectories(dir.resolve("empty"));
        int port = CertwatchServer.freeTcpPort();
        Path config = template(dir, "vsftpd.conf", Map.of("@PORT@", Integer.toString(port)));
        launch(dir, USER, "vsftpd", config.toString());
        listening(EndpointProtocol.FTP, port, dir);
    }

    private void ldap() throws Exception {
        Path dir = folder("ldap");
        Files.createDirectories(dir.resolve("db"));
        int port = CertwatchServer.freeTcpPort();
        Path config = template(dir, "slapd.conf", Map.of());
        String url = "ldap://127.0.0.1:" + port + "/";
        launch(dir, USER, "slapd", "-d", "0", "-f", config.toString(), "-h", url);
        listening(EndpointProtocol.LDAP, port, dir);
        // openldap's own client agrees the peer does StartTLS (-ZZ: fail unless it succeeds)
        ProcessBuilder search = new ProcessBuilder("ldapsearch", "-x", "-ZZ", "-H", url, "-b", "", "-s", "base",
                "namingContexts");
        search.environment().put("LDAPTLS_CACERT", dir.resolve("cert.pem").toString());
        search.environment().put("LDAPTLS_REQCERT", "demand");
        String out = run(search.directory(dir.toFile()));
        if (!out.contains("namingContexts: dc=starttls,dc=test")) {
            throw new AssertionError("ldapsearch -ZZ: " + out);
        }
    }

    /** The shared fixture's PostgreSQL, with SSL on (it makes the key file the server user's own). */
    private void postgresql() throws Exception {
        Path dir = folder("postgresql");
        Files.setPosixFilePermissions(dir.resolve("key.pem"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rw-------"));
        postgres = PostgresServer.start(dir, Map.of("ssl", "on", "ssl_cert_file", dir.resolve("cert.pem").toString(),
                "ssl_key_file", dir.resolve("key.pem").toString()));
        listening(EndpointProtocol.POSTGRESQL, postgres.port(), dir);
    }

    /** The peer's folder with its own certificate (CN=NAME.starttls.test, also naming localhost and 127.0.0.1). */
    private Path folder(String name) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        run(new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj",
                "/CN=" + name + ".starttls.test", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .directory(dir.toFile()));
        return dir;
    }

    private Path template(Path dir, String name, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = StartTlsPeers.class.getResourceAsStream("/starttls-peers/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text = text.replace("@DIR@", dir.toString()).replace("@USER@", USER).replace("@GROUP@", group());
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace(value.getKey(), value.getValue());
        }
        return Files.writeString(dir.resolve(name), text);
    }

    /** Starts a server that stays in the foreground, its output in {@code DIR/output.log}; the folder becomes the user's. */
    private void launch(Path dir, String user, String... command) throws Exception {
        ProcessBuilder builder = command(dir, user, command);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log")
                .toFile()));
        processes.add(builder.start());
    }

    private ProcessBuilder command(Path dir, String user, String... command) throws Exception {
        if (ROOT) {
            // the key must be the user's own and private (postgres insists)
            run(new ProcessBuilder("chown", "-R", user + ":" + group(),
                    dir.toString()));
        }
        Files.setPosixFilePermissions(dir.resolve("key.pem"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rw-------"));
        List<String> line = new ArrayList<>();
        if (ROOT) {
            line.addAll(List.of("runuser", "-u", user, "--"));
        }
        line.addAll(List.of(command));
        return new ProcessBuilder(line).directory(dir.toFile());
    }

    private void listening(EndpointProtocol protocol, int port, Path dir) throws Exception {
        CertwatchServer.await(protocol + " peer on port " + port + " (see " + dir + ")", START, () -> {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        peers.put(protocol, new Peer(protocol, port, certificate));
    }

    private static String group() {
        try {
            return run(new ProcessBuilder("id", "-gn", USER)).strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
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

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Stops every server this fixture started, and what they started (runuser's child, dovecot's workers). */
    @Override
    public void close() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        for (Process process : processes) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Resolves a {@code StartTlsPeers} parameter to the run's one instance, started on first use. */
    static final class Resolver implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StartTlsPeers.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == StartTlsPeers.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(StartTlsPeers.class, key -> {
                try {
                    return start();
                } catch (Exception e) {
                    throw new IllegalStateException("the STARTTLS peers did not start", e);
                }
            }, StartTlsPeers.class);
        }
    }
}
