package org.certwatch.source.tls.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same checks against what another implementation makes: a CA run by {@code openssl ca} revokes a leaf, its
 * PEM CRL is served over HTTP, and {@code openssl ocsp} answers for both leaves, once as the CA and once as a
 * delegated responder.
 */
class OpensslRevocationTest {
    private static final String CONFIG = """
            [ca]
            default_ca = own
            [own]
            dir = .
            database = index.txt
            new_certs_dir = .
            certificate = ca.pem
            private_key = ca.key
            serial = serial
            crlnumber = crlnumber
            default_md = sha256
            default_days = 30
            default_crl_days = 7
            policy = any
            unique_subject = no
            [any]
            commonName = supplied
            [leaf]
            crlDistributionPoints = URI:%s
            [responder]
            extendedKeyUsage = OCSPSigning
            """;

    @TempDir
    static Path dir;
    static HttpServer http;
    static X509Certificate ca;
    static X509Certificate revoked;
    static X509Certificate good;
    static String crlUrl;

    @BeforeAll
    static void makeTheCa() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crlUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/ca.crl";
        Files.writeString(dir.resolve("ca.cnf"), String.format(CONFIG, crlUrl));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "30", "-subj", "/CN=OpenSSL CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        for (String name : List.of("revoked", "good", "responder")) {
            openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name + ".example.org");
            openssl("ca", "-batch", "-config", "ca.cnf", "-extensions", name.equals("responder") ? "responder" : "leaf",
                    "-in", name + ".csr", "-out", name + ".pem", "-notext");
        }
        openssl("ca", "-config", "ca.cnf", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
        openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
        byte[] crl = Files.readAllBytes(dir.resolve("ca.crl"));
        http.createContext("/ca.crl", exchange -> {
            exchange.sendResponseHeaders(200, crl.length);
            exchange.getResponseBody().write(crl);
            exchange.close();
        });
        http.start();
        ca = certificate("ca.pem");
        revoked = certificate("revoked.pem");
        good = certificate("good.pem");
    }

    @AfterAll
    static void stop() {
        http.stop(0);
    }

    @Test
    void theCrlOfOpensslCaNamesTheRevokedLeafOnly() {
        RevocationCheck check = new RevocationCheck(SettableClock.atSystemTime(), Duration.ofSeconds(10), 1 << 20);
        Finding finding = only(check.check(List.of(revoked, ca), List.of(), true));
        assertEquals(FindingKind.REVOKED, finding.kind());
        assertTrue(finding.text().matches("leaf CN=revoked.example.org revoked on \\S+Z, key compromise \\(CRL "
                + crlUrl.replace(".", "\\.") + "\\)"), finding.text());
        assertEquals(List.of(), check.check(List.of(good, ca), List.of(), true));
    }

    @Test
    void theAnswersOfOpensslOcspAreRead() throws Exception {
        RevocationCheck check = new RevocationCheck(SettableClock.atSystemTime(), Duration.ofSeconds(10), 1 << 20);
        for (String signer : List.of("ca", "responder")) {
            Finding finding = only(check.check(List.of(revoked, ca), List.of(ocsp("revoked", signer)), false));
            assertEquals(FindingKind.REVOKED, finding.kind(), signer);
            assertTrue(finding.text().matches("leaf CN=revoked.example.org revoked on \\S+Z, key compromise "
                    + "\\(stapled OCSP response\\)"), finding.text());
            assertEquals(List.of(), check.check(List.of(good, ca), List.of(ocsp("good", signer)), false), signer);
        }
        // the good leaf's response does not speak for the revoked one
        assertEquals(FindingKind.REVOCATION_UNKNOWN,
                only(check.check(List.of(revoked, ca), List.of(ocsp("good", "ca")), false)).kind());
    }

    /** {@code openssl ocsp} answering, from the CA's index, a request for {@code leaf}, signed by {@code signer}. */
    private static byte[] ocsp(String leaf, String signer) throws Exception {
        openssl("ocsp", "-issuer", "ca.pem", "-cert", leaf + ".pem", "-no_nonce", "-reqout", leaf + ".req");
        String response = leaf + "-" + signer + ".resp";
        openssl("ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", signer + ".pem", "-rkey", signer + ".key",
                "-reqin", leaf + ".req", "-respout", response, "-ndays", "1");
        return Files.readAllBytes(dir.resolve(response));
    }

    private static X509Certificate certificate(String file) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), findings::toString);
        return findings.get(0);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + ": " + out);
        }
    }
}
