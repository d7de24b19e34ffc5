package org.certwatch.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;

/**
 * One nginx per test run (started on first use, stopped when the JVM ends), unprivileged configuration and
 * certificates under {@code target/nginx-probe/}, ephemeral ports. Server blocks by SNI name on one loopback port,
 * each serving one edge case, plus a port offering TLS 1.0/1.1 and an IPv6 listener on {@code ::1}. Every block's
 * chain ends at {@link #rootPem()}, which the tests trust as the endpoints' extra CA.
 */
final class NginxFixture {
    /** An SNI server block: what it serves and the findings certwatch should name. */
    record Block(String name, String what, Set<String> findings) {
        /** The address certwatch gives its location. */
        String address(int port) {
            return "tls://127.0.0.1:" + port + "#" + sni();
        }

        String sni() {
            return name + ".probe.test";
        }
    }

    private static NginxFixture shared;

    private final Path folder;
    private final int port;
    private final int oldProtocolPort;
    private final int ipv6Port;
    private final List<Block> blocks;
    private final Process nginx;

    private NginxFixture(Path folder, int port, int oldProtocolPort, int ipv6Port, List<Block> blocks, Process nginx) {
        this.folder = folder;
        this.port = port;
        this.oldProtocolPort = oldProtocolPort;
        this.ipv6Port = ipv6Port;
        this.blocks = blocks;
        this.nginx = nginx;
    }

    static synchronized NginxFixture shared() throws Exception {
        if (shared == null) {
            shared = start(Path.of("target/nginx-probe").toAbsolutePath());
            NginxFixture started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "nginx-fixture-stop"));
        }
        return shared;
    }

    Path rootPem() {
        return folder.resolve("root.pem");
    }

    Path folder() {
        return folder;
    }

    int port() {
        return port;
    }

    int oldProtocolPort() {
        return oldProtocolPort;
    }

    int ipv6Port() {
        return ipv6Port;
    }

    List<Block> blocks() {
        return blocks;
    }

    /** The SNI blocks that serve a chain certwatch reads (the hostile ones are not among them). */
    List<Block> readable() {
        return blocks.stream().filter(b -> !b.findings().contains("TOO_LARGE")).toList();
    }

    private void stop() {
        nginx.destroy();
        try {
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static NginxFixture start(Path folder) throws Exception {
        Files.createDirectories(folder.resolve("tmp"));
        Instant now = Instant.now();
        Duration day = Duration.ofDays(1);
        ProbePki.Issued root = ProbePki.root("Probe Test Root", now);
        ProbePki.Issued ca = root.issue("Probe Test Intermediate", ProbePki.ec("secp256r1"), now.minus(day.multipliedBy(5)),
                now.plus(day.multipliedBy(1000)), true, null, null);
        ProbePki.Issued oldCa = root.issue("Probe Expired Intermediate", ProbePki.ec("secp256r1"),
                now.minus(day.multipliedBy(400)), now.minus(day.multipliedBy(2)), true, null, null);
        ProbePki.write(folder.resolve("root.pem"), root.certPem());

        Map<Block, String[]> served = new LinkedHashMap<>();
        Instant from = now.minus(day);
        Instant to = now.plus(day.multipliedBy(200));
        served.put(block("good", "a complete chain", Set.of()),
                chain(ca.issue("good.probe.test", ProbePki.ec("secp256r1"), from, to, false, null, null,
                        "good.probe.test"), ca));
        served.put(block("expired", "an expired leaf", Set.of()),
                chain(ca.issue("expired.probe.test", ProbePki.ec("secp256r1"), now.minus(day.multipliedBy(90)),
                        now.minus(day.multipliedBy(3)), false, null, null, "expired.probe.test"), ca));
        served.put(block("expired-intermediate", "an expired intermediate", Set.of("CHAIN_CERTIFICATE_EXPIRED")),
                chain(oldCa.issue("expired-intermediate.probe.test", ProbePki.ec("secp256r1"),
                        now.minus(day.multipliedBy(30)), to, false, null, null, "expired-intermediate.probe.test"), oldCa));
        served.put(block("incomplete", "the leaf without its intermediate", Set.of("CHAIN_INCOMPLETE")),
                chain(ca.issue("incomplete.probe.test", ProbePki.ec("secp256r1"), from, to, false, null, null,
                        "incomplete.probe.test")));
        ProbePki.Issued self = ProbePki.root("selfsigned.probe.test", now, "selfsigned.probe.test");
        served.put(block("selfsigned", "a self-signed leaf", Set.of("SELF_SIGNED")), chain(self));
        served.put(block("wronghost", "a leaf for another name", Set.of("HOST_MISMATCH")),
                chain(ca.issue("other.example.org", ProbePki.ec("secp256r1"), from, to, false, null, null, "other.example.org"), ca));
        served.put(block("rsa1024", "an RSA-1024 leaf", Set.of("WEAK_KEY")),
                chain(ca.issue("rsa1024.probe.test", ProbePki.rsa(1024), from, to, false, null, null,
                        "rsa1024.probe.test"), ca));
        served.put(block("sha1", "a SHA-1 signed leaf", Set.of("WEAK_SIGNATURE")),
                chain(ca.issue("sha1.probe.test", ProbePki.ec("secp256r1"), from, to, false, "SHA1withECDSA", null,
                        "sha1.probe.test"), ca));
        served.put(block("p384", "a P-384 leaf", Set.of()),
                chain(ca.issue("p384.probe.test", ProbePki.ec("secp384r1"), from, to, false, "SHA384withECDSA", null,
                        "p384.probe.test"), ca));
        served.put(block("notyet", "a leaf not valid yet", Set.of("NOT_YET_VALID")),
                chain(ca.issue("notyet.probe.test", ProbePki.ec("secp256r1"), now.plus(day.multipliedBy(3)), to,
                        false, null, null, "notyet.probe.test"), ca));
        ProbePki.Issued many = ca.issue("many.probe.test", ProbePki.ec("secp256r1"), from, to, false, null, null,
                "many.probe.test");
        String[] thousand = new String[1000];
        thousand[0] = many.certPem();
        for (int i = 1; i < thousand.length; i++) {
            thousand[i] = ca.certPem();
        }
        served.put(block("many", "a chain of 1,000 certificates", Set.of("TOO_LARGE")),
                new String[] {many.keyPem(), String.join("", thousand)});
        served.put(block("huge", "a 1 MB certificate", Set.of("TOO_LARGE")),
                chain(ca.issue("huge.probe.test", ProbePki.ec("secp256r1"), from, to, false, null,
                        new byte[1024 * 1024], "huge.probe.test"), ca));
        ProbePki.Issued v6 = ca.issue("ipv6.probe.test", ProbePki.ec("secp256r1"), from, to, false, null, null,
                "::1", "ipv6.probe.test");
        ProbePki.Issued legacy = ca.issue("legacy.probe.test", ProbePki.rsa(2048), from, to, false, null, null,
                "legacy.probe.test", "127.0.0.1");

        int port = CertwatchServer.freeTcpPort();
        int oldPort = CertwatchServer.freeTcpPort();
        int v6Port = CertwatchServer.freeTcpPort();
        StringBuilder conf = new StringBuilder();
        conf.append("worker_processes 2;\n")
                .append("pid ").append(folder.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(folder.resolve("error.log")).append(" warn;\n")
                .append("events { worker_connections 4096; }\n")
                .append("http {\n  access_log off;\n")
                .append("  client_body_temp_path ").append(folder.resolve("tmp/body")).append(";\n")
                .append("  proxy_temp_path ").append(folder.resolve("tmp/proxy")).append(";\n")
                .append("  fastcgi_temp_path ").append(folder.resolve("tmp/fastcgi")).append(";\n")
                .append("  uwsgi_temp_path ").append(folder.resolve("tmp/uwsgi")).append(";\n")
                .append("  scgi_temp_path ").append(folder.resolve("tmp/scgi")).append(";\n")
                .append("  ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_ciphers DEFAULT:@SECLEVEL=0;\n")
                .append("  ssl_session_cache off;\n  ssl_session_tickets off;\n");
        boolean first = true;
        List<Block> blocks = new ArrayList<>();
        for (Map.Entry<Block, String[]> e : served.entrySet()) {
            Block b = e.getKey();
            blocks.add(b);
            server(conf, folder, "127.0.0.1:" + port + (first ? " ssl default_server" : " ssl"), b.sni(), b.name(),
                    e.getValue(), "");
            first = false;
        }
        server(conf, folder, "[::1]:" + v6Port + " ssl", "ipv6.probe.test", "ipv6", chain(v6, ca), "");
        server(conf, folder, "127.0.0.1:" + oldPort + " ssl", "legacy.probe.test", "legacy", chain(legacy, ca),
                "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n");
        conf.append("}\n");
        Path confFile = folder.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process nginx = new ProcessBuilder("nginx", "-p", folder.toString(), "-c", confFile.toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(folder.resolve("nginx.out").toFile()).start();
        NginxFixture fixture = new NginxFixture(folder, port, oldPort, v6Port, List.copyOf(blocks), nginx);
        awaitListening(fixture, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        awaitListening(fixture, new InetSocketAddress(InetAddress.getByName("::1"), v6Port));
        awaitListening(fixture, new InetSocketAddress(InetAddress.getLoopbackAddress(), oldPort));
        return fixture;
    }

    private static Block block(String name, String what, Set<String> findings) {
        return new Block(name, what, findings);
    }

    /** Key PEM, then the certificates' PEM as served. */
    private static String[] chain(ProbePki.Issued leaf, ProbePki.Issued... rest) {
        StringBuilder certs = new StringBuilder(leaf.certPem());
        for (ProbePki.Issued r : rest) {
            certs.append(r.certPem());
        }
        return new String[] {leaf.keyPem(), certs.toString()};
    }

    private static void server(StringBuilder conf, Path folder, String listen, String name, String file, String[] pems,
            String extra) throws IOException {
        Path key = folder.resolve(file + ".key");
        Path crt = folder.resolve(file + ".crt");
        ProbePki.write(key, pems[0]);
        ProbePki.write(crt, pems[1]);
        conf.append("  server {\n    listen ").append(listen).append(";\n    server_name ").append(name).append(";\n")
                .append("    ssl_certificate ").append(crt).append(";\n    ssl_certificate_key ").append(key)
                .append(";\n").append(extra).append("    return 200 \"").append(file).append("\\n\";\n  }\n");
    }

    private static void awaitListening(NginxFixture fixture, InetSocketAddress address) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!fixture.nginx.isAlive()) {
                throw new AssertionError("nginx ended: " + Files.readString(fixture.folder.resolve("nginx.out"))
                        + Files.readString(fixture.folder.resolve("error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(address, 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nginx does not listen on " + address);
    }
}
