package org.certwatch.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
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

/** How an agent trusts the server, with real certificates: the remembered server certificate counts only for its CA. */
class ServerTrustTest {
    private static final X500Principal CA_NAME = new X500Principal("CN=Twin CA");

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(X500Principal subject, KeyPair subjectKeys, PrivateKey issuerKey)
            throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(CA_NAME,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    @Test
    void theRememberedServerCertificateCountsOnlyWhileItsCaIsTrusted() throws Exception {
        KeyPair oneKeys = keys();
        KeyPair twinKeys = keys();
        X509Certificate one = certificate(CA_NAME, oneKeys, oneKeys.getPrivate());
        X509Certificate twin = certificate(CA_NAME, twinKeys, twinKeys.getPrivate()); // same name, other key
        X509Certificate[] server = {certificate(new X500Principal("CN=server"), keys(), oneKeys.getPrivate())};
        X509Certificate[] impostor = {certificate(new X500Principal("CN=server"), keys(), twinKeys.getPrivate())};
        ServerTrust.Memory memory = new ServerTrust.Memory();

        assertDoesNotThrow(() -> ServerTrust.of(List.of(one), memory).checkServerTrusted(server, "EC"));
        // the agent's next key material trusts only the twin: the remembered issuer does not count
        assertThrows(CertificateException.class, () -> ServerTrust.of(List.of(twin), memory).checkServerTrusted(server, "EC"));
        assertDoesNotThrow(() -> ServerTrust.of(List.of(twin, one), memory).checkServerTrusted(server, "EC"));
        // another certificate under the same name is verified, not taken from memory
        assertThrows(CertificateException.class, () -> ServerTrust.of(List.of(one), memory).checkServerTrusted(impostor, "EC"));
        assertDoesNotThrow(() -> ServerTrust.of(List.of(one), memory).checkServerTrusted(server, "EC"));
    }
}
