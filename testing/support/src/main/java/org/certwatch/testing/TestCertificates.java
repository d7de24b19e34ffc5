package org.certwatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates: self-signed P-256 ones made in process, keystores of them, and openssl for PKCS#12. */
public final class TestCertificates {
    private static final KeyPair KEY = keyPair();
    private static long serial = 1;

    private TestCertificates() {
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized X509Certificate selfSigned(String cn) {
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn), BigInteger.valueOf(serial++),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)),
                    new X500Name("CN=" + cn), KEY.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEY.getPrivate()))
                    .getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate... certs) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certs) {
            out.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }

    public static void writePem(Path file, X509Certificate... certs) throws IOException, GeneralSecurityException {
        Files.writeString(file, pem(certs));
    }

    /** A JKS (or JCEKS, PKCS12) keystore with one trusted certificate per alias. */
    public static byte[] keyStore(String type, char[] password, List<String> aliases) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        X509Certificate one = selfSigned("many");
        for (String alias : aliases) {
            ks.setCertificateEntry(alias, one);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    /** A JKS with a key entry {@code web} (chain of one) and a trusted entry {@code ca}. */
    public static byte[] jksWithKey(char[] password, X509Certificate web, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(null, null);
        ks.setKeyEntry("web", KEY.getPrivate(), password, new Certificate[] {web});
        ks.setCertificateEntry("ca", ca);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    /** Runs openssl (the real peer) in {@code dir}; fails with its output. */
    public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
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
