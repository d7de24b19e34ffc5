package org.certwatch.source.tls.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: a key and a certificate, issued by another or by itself. */
record TestPki(KeyPair key, X509Certificate cert) {
    private static long serial = 1;

    static KeyPair ec() {
        return pair("EC", 256);
    }

    static KeyPair rsa(int bits) {
        return pair("RSA", bits);
    }

    private static KeyPair pair(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What to make; {@code names} DNS names or IP literals (with ':' or all digits and dots). */
    record Spec(String cn, KeyPair key, Instant notBefore, Instant notAfter, boolean ca, List<String> names,
            String signature) {
        static Spec of(String cn, Instant now) {
            return new Spec(cn, ec(), now.minusSeconds(86_400), now.plusSeconds(90 * 86_400L), false, List.of(),
                    null);
        }

        Spec asCa() {
            return new Spec(cn, key, notBefore, notAfter, true, names, signature);
        }

        Spec withKey(KeyPair k) {
            return new Spec(cn, k, notBefore, notAfter, ca, names, signature);
        }

        Spec valid(Instant from, Instant to) {
            return new Spec(cn, key, from, to, ca, names, signature);
        }

        Spec withNames(String... n) {
            return new Spec(cn, key, notBefore, notAfter, ca, List.of(n), signature);
        }

        Spec signedWith(String algorithm) {
            return new Spec(cn, key, notBefore, notAfter, ca, names, algorithm);
        }
    }

    static TestPki selfSigned(Spec spec) {
        return issue(spec, null);
    }

    TestPki issue(Spec spec) {
        return issue(spec, this);
    }

    private static synchronized TestPki issue(Spec spec, TestPki issuer) {
        try {
            KeyPair signer = issuer == null ? spec.key() : issuer.key();
            X500Name issuerName = issuer == null ? new X500Name("CN=" + spec.cn())
                    : new X500Name(issuer.cert().getSubjectX500Principal().getName());
            var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial++),
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), new X500Name("CN=" + spec.cn()),
                    spec.key().getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()));
            if (!spec.names().isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String n : spec.names()) {
                    boolean ip = n.indexOf(':') >= 0 || n.matches("[0-9.]+");
                    names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
                }
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            String alg = spec.signature() != null ? spec.signature()
                    : signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] der = b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate())).getEncoded();
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new TestPki(spec.key(), cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
