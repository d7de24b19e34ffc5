package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.fleet.internal.endpoint.AgentTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's trust with real certificates from real stores: CAs change in place; the issuer the
 * store recorded counts only while that very CA is trusted, anything else needs a valid signature.
 */
class AgentTrustManagerTest {
    @TempDir
    Path data;

    private static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static X509Certificate ca(FleetHarness h, CaInfo ca) throws Exception {
        return x509(h.store.exportCa(ca.id(), ExportFormat.DER, null, "test"));
    }

    private static X509Certificate[] chain(FleetHarness h, CertificateInfo c) throws Exception {
        return new X509Certificate[] {x509(h.store.export(c.id(), ExportFormat.DER, null, "test"))};
    }

    private static CertificateInfo issue(FleetHarness h, CaInfo ca, String host) {
        return h.store.issue(new IssueRequest(ca.id(), Role.AGENT, host, List.of(), null, "", null, null, null), "test");
    }

    @Test
    void theIssuerTheStoreRecordedCountsOnlyWhileThatCaIsTrusted() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            // two CAs with the same name: only the store's record or the signature tells them apart
            CaInfo a = h.store.createCa(CaRequest.of("CN=Twin CA"), "test");
            CaInfo b = h.store.createCa(CaRequest.of("CN=Twin CA"), "test");
            X509Certificate[] fromB = chain(h, issue(h, b, "pc-b"));
            AgentTrustManager trust = new AgentTrustManager(h.store, h.clock);
            assertThrows(CertificateException.class, () -> trust.checkClientTrusted(fromB, "EC"), "trusts nothing yet");

            trust.trust(Map.of(a.id(), ca(h, a), b.id(), ca(h, b)));
            assertEquals(2, trust.getAcceptedIssuers().length);
            trust.checkClientTrusted(fromB, "EC");

            trust.trust(Map.of(a.id(), ca(h, a)));
            CertificateException refused = assertThrows(CertificateException.class,
                    () -> trust.checkClientTrusted(fromB, "EC"));
            assertTrue(refused.getMessage().contains("does not trust"), refused.getMessage());

            trust.trust(Map.of(a.id(), ca(h, a), b.id(), ca(h, b))); // a CA added in place: no new TLS context needed
            assertDoesNotThrow(() -> trust.checkClientTrusted(fromB, "EC"));
        }
    }

    @Test
    void aCertificateTheStoreDoesNotKnowNeedsAValidSignatureFromATrustedCa(@TempDir Path elsewhere) throws Exception {
        try (FleetHarness h = new FleetHarness(data); FleetHarness other = new FleetHarness(elsewhere)) {
            CaInfo foreign = other.store.createCa(CaRequest.of("CN=Twin CA"), "test");
            X509Certificate[] unknown = chain(other, issue(other, foreign, "pc-elsewhere"));
            CaInfo twin = h.store.createCa(CaRequest.of("CN=Twin CA"), "test");
            AgentTrustManager trust = new AgentTrustManager(h.store, h.clock);

            trust.trust(Map.of(twin.id(), ca(h, twin))); // same name, other key
            assertThrows(CertificateException.class, () -> trust.checkClientTrusted(unknown, "EC"));

            trust.trust(Map.of(twin.id(), ca(h, twin), 999L, ca(other, foreign)));
            assertDoesNotThrow(() -> trust.checkClientTrusted(unknown, "EC"));
        }
    }

    @Test
    void datesAndRevocationAreCheckedAtEveryHandshakeEvenWhenTheIssuerIsRemembered() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            CaInfo ca = h.store.createCa(CaRequest.of("CN=Agents"), "test");
            CertificateInfo revoked = issue(h, ca, "pc-revoked");
            CertificateInfo expiring = issue(h, ca, "pc-expiring");
            X509Certificate[] revokedChain = chain(h, revoked);
            X509Certificate[] expiringChain = chain(h, expiring);
            AgentTrustManager trust = new AgentTrustManager(h.store, h.clock);
            trust.trust(Map.of(ca.id(), ca(h, ca)));
            trust.checkClientTrusted(revokedChain, "EC");
            trust.checkClientTrusted(expiringChain, "EC");

            h.store.revoke(revoked.id(), RevocationReason.KEY_COMPROMISE, "test");
            CertificateException r = assertThrows(CertificateException.class,
                    () -> trust.checkClientTrusted(revokedChain, "EC"));
            assertTrue(r.getMessage().contains("revoked"), r.getMessage());

            h.clock.advance(Duration.between(h.clock.instant(), expiring.notAfter()).plusSeconds(1));
            CertificateException e = assertThrows(CertificateException.class,
                    () -> trust.checkClientTrusted(expiringChain, "EC"));
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
        }
    }
}
