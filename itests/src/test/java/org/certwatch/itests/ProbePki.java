package org.certwatch.itests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS endpoints' certificates: keys and certificates with the edge cases nginx serves (dates in the past or
 * future, weak keys, SHA-1), written as PEM files for nginx and check_ssl_cert.
 */
final class ProbePki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** One key and certificate. */
    record Issued(KeyPair key, X509Certificate cert) {
        String certPem() {
            return pem("CERTIFICATE", encoded());
        }

        String keyPem() {
            return pem("PRIVATE KEY", key.getPrivate().getEncoded());
        }

        private byte[] encoded() {
            try {
                return cert.getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        Issued issue(String cn, KeyPair key, Instant from, Instant to, boolean ca, String signature, byte[] padding,
                String... names) {
            return make(this, cn, key, from, to, ca, signature, padding, names);
        }
    }

    private ProbePki() {
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate: a root, or with {@code names} a self-signed leaf. */
    static Issued root(String cn, Instant now, String... names) {
        return make(null, cn, ec("secp256r1"), now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)),
                names.length == 0, null, null, names);
    }

    /** {@code padding}: bytes of a private extension, to make a certificate large; null for none. */
    private static Issued make(Issued issuer, String cn, KeyPair key, Instant from, Instant to, boolean ca,
            String signature, byte[] padding, String... names) {
        try {
            KeyPair signer = issuer == null ? key : issuer.key();
            X500Name issuerName = issuer == null ? new X500Name("CN=" + cn)
                    : new X500Name(issuer.cert().getSubjectX500Principal().getName());
            var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(to), new X500Name("CN=" + cn), key.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (names.length > 0) {
                List<GeneralName> san = new ArrayList<>();
                for (String n : names) {
                    san.add(new GeneralName(n.indexOf(':') >= 0 || n.matches("[0-9.]+") ? GeneralName.iPAddress
                            : GeneralName.dNSName, n));
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(GeneralName[]::new)));
            }
            if (padding != null) {
                b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.32473.99.1"), false, new DEROctetString(padding));
            }
            String alg = signature != null ? signature
                    : signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] der = b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate())).getEncoded();
            return new Issued(key, (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static void write(Path file, String... pems) throws IOException {
        Files.writeString(file, String.join("", pems));
    }
}
