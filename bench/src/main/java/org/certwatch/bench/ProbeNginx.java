package org.certwatch.bench;

import static org.certwatch.bench.ProbeEndpoints.NAMES;
import static org.certwatch.bench.ProbeEndpoints.name;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certwatch.testing.CertwatchServer;

/**
 * The probe benchmark's TLS servers: one local nginx (its own prefix, config and pid file) with {@value
 * ProbeEndpoints#NAMES} SNI server blocks per endpoint set, each name its own RSA-2048 certificate. Two sets on two
 * ports: TLS 1.2 only on {@code 127.0.0.1}–{@code 127.0.0.}{@value #ADDRESSES} (the rates and the 10,000-endpoint
 * hold), and TLS 1.3 only on {@code 127.0.0.1} (the rates again). No session cache and no tickets: every handshake
 * is a full one.
 */
final class ProbeNginx implements AutoCloseable {
    static final int ADDRESSES = 10;

    private final Process process;
    private final int tls12Port;
    private final int tls13Port;

    private ProbeNginx(Process process, int tls12Port, int tls13Port) {
        this.process = process;
        this.tls12Port = tls12Port;
        this.tls13Port = tls13Port;
    }

    /** The port of the set that offers {@code TLSv1.2} or {@code TLSv1.3} alone. */
    int port(String protocol) {
        return switch (protocol) {
            case "TLSv1.2" -> tls12Port;
            case "TLSv1.3" -> tls13Port;
            default -> throw new IllegalArgumentException("no endpoint set for " + protocol);
        };
    }

    static ProbeNginx start(Path work) throws Exception {
        Path folder = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(folder.resolve("tmp"));
        int tls12Port = CertwatchServer.freeTcpPort();
        int tls13Port = CertwatchServer.freeTcpPort();
        // RSA: the benchmark JVM runs with -Djdk.tls.namedGroups=x25519 (for the simulated agents), which takes
        // the JDK's ECDSA signature schemes away; one leaf key shared, each name its own certificate
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair caKey = g.generateKeyPair();
        KeyPair key = g.generateKeyPair();
        Instant now = Instant.now();
        StringBuilder conf = new StringBuilder("worker_processes 2;\npid " + folder.resolve("nginx.pid") + ";\nerror_log "
                + folder.resolve("error.log") + " warn;\nevents { worker_connections 4096; }\nhttp {\n  access_log off;\n"
                + "  client_body_temp_path " + folder.resolve("tmp") + ";\n  ssl_session_cache off;\n"
                + "  ssl_session_tickets off;\n  server_names_hash_max_size 4096;\n");
        for (int i = 0; i < NAMES; i++) {
            var b = new JcaX509v3CertificateBuilder(new X500Name("CN=Bench CA"), BigInteger.valueOf(i + 1L),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(90))),
                    new X500Name("CN=" + name(i)), key.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, name(i))));
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate())).getEncoded();
            Path crt = folder.resolve(i + ".crt");
            Path keyFile = folder.resolve(i + ".key");
            Files.writeString(crt, pem("CERTIFICATE", der));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
            serverBlock(conf, i, "TLSv1.2", tls12Port, ADDRESSES, crt, keyFile);
            serverBlock(conf, i, "TLSv1.3", tls13Port, 1, crt, keyFile);
        }
        conf.append("}\n");
        Path confFile = folder.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        ProbeNginx nginx = new ProbeNginx(new ProcessBuilder("nginx", "-p", folder.toString(), "-c",
                confFile.toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(folder.resolve("nginx.out").toFile()).start(), tls12Port, tls13Port);
        try {
            awaitListening(tls12Port);
            awaitListening(tls13Port);
            return nginx;
        } catch (Exception | AssertionError e) {
            nginx.close();
            throw e;
        }
    }

    /** One name's server block in one set: {@code protocol} alone (nginx 1.22's default adds TLS 1.0/1.1, which
     *  Debian's OpenSSL 3 refuses anyway, and leaves TLS 1.3 out). */
    private static void serverBlock(StringBuilder conf, int i, String protocol, int port, int addresses, Path crt,
            Path keyFile) {
        conf.append("  server {\n");
        for (int a = 1; a <= addresses; a++) {
            conf.append("    listen 127.0.0.").append(a).append(':').append(port).append(" ssl")
                    .append(i == 0 ? " default_server" : "").append(";\n");
        }
        conf.append("    ssl_protocols ").append(protocol).append(";\n    server_name ").append(name(i))
                .append(";\n    ssl_certificate ").append(crt).append(";\n    ssl_certificate_key ").append(keyFile)
                .append(";\n    return 200;\n  }\n");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Until something accepts on {@code 127.0.0.1:port} (60 s at most). */
    static void awaitListening(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
