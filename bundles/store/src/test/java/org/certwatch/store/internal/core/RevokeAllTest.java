package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Revoking many at once: one CRL per CA naming all, skips the revoked, all-or-nothing on bad ids, durable. */
class RevokeAllTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void revokesManyWithOneCrlPerCaAndSurvivesReopen(Stores.Backend backend) throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime(), backend)) {
            PkiStore store = stores.open();
            CaInfo a = store.createCa(CaRequest.of("CN=A"), "t");
            CaInfo b = store.createCa(CaRequest.of("CN=B"), "t");
            List<IssueRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(IssueRequest.of(i % 2 == 0 ? a.id() : b.id(), Role.AGENT, "pc-" + i + ".example.org"));
            }
            List<CertificateInfo> issued = store.issueAll(requests, "t");
            store.revoke(issued.get(0).id(), RevocationReason.KEY_COMPROMISE, "t");
            List<Long> ids = issued.stream().map(CertificateInfo::id).toList();
            stores.events.clear();

            List<CertificateInfo> revoked = store.revokeAll(ids, RevocationReason.SUPERSEDED, "t");
            assertEquals(19, revoked.size(), "the one revoked already is skipped");
            assertEquals(19, stores.events.stream().filter(Topics.CERTIFICATE_REVOKED::equals).count());
            assertEquals(RevocationReason.KEY_COMPROMISE, store.certificate(issued.get(0).id()).orElseThrow().revocationReason());
            for (CaInfo ca : List.of(a, b)) {
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(store.crl(ca.id(), false)));
                assertEquals(10, crl.getRevokedCertificates().size(), ca.subject());
            }
            assertEquals(List.of(), store.revokeAll(ids, RevocationReason.SUPERSEDED, "t"));
            // an unknown id refuses the whole request
            CertificateInfo extra = store.issue(IssueRequest.of(a.id(), Role.AGENT, "late.example.org"), "t");
            assertThrows(CertificateStoreException.class,
                    () -> store.revokeAll(List.of(extra.id(), 999_999L), RevocationReason.SUPERSEDED, "t"));
            assertTrue(!store.certificate(extra.id()).orElseThrow().revoked());
            store.close();
            PkiStore reopened = stores.open();
            assertTrue(ids.stream().allMatch(id -> reopened.certificate(id).orElseThrow().revoked()));
        }
    }
}
