package org.certwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** PEM certificates as the agent reads them: its own block decoding, the same certificates the JDK would read. */
class PemTest {
    private static X509Certificate certificate(String name) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        X500Principal subject = new X500Principal("CN=" + name);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Test
    void readsEveryBlockWhateverTheLineEndsAndTextAround() throws Exception {
        X509Certificate one = certificate("one");
        X509Certificate two = certificate("two");
        String pem = "a comment\r\n" + Pem.encode(List.of(one)).replace("\n", "\r\n") + "between\n" + Pem.encode(List.of(two));
        assertEquals(List.of(one, two), Pem.certificates(pem));
        assertEquals(List.of(), Pem.certificates(""));
    }

    @Test
    void textWithoutPemBlocksIsLeftToTheJdk() {
        // as before: the JDK's factory says what is wrong with it
        assertThrows(CertificateException.class, () -> Pem.certificates("not a certificate"));
    }

    @Test
    void aBrokenBlockIsACertificateError() throws Exception {
        String pem = Pem.encode(List.of(certificate("cut")));
        assertThrows(CertificateException.class, () -> Pem.certificates(pem.substring(0, pem.indexOf("-----END"))));
        assertThrows(CertificateException.class, () -> Pem.certificates(pem.replace("M", "!")));
    }
}
