package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;
import org.certwatch.store.internal.persist.StoreCopy;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's part of {@code certwatch migrate}: a stopped file store copied to a shared backend and back holds the
 * same entries, certificates, keys, CA keys and CRLs (counts and fingerprints), opens there with the same key password
 * and lists the same CAs and certificates; the source's files are not changed; a key password that does not open the
 * store is refused before anything is copied.
 */
class StoreCopyTest {
    private final StoreCopy copy = new StoreCopy();

    @Test
    void aStoppedFileStoreMovesToASharedBackendAndBackUnchanged(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Stores files = new Stores(data, SettableClock.atSystemTime());
                MemoryPersistence backend = new MemoryPersistence()) {
            PkiStore store = files.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Copy CA"), "t");
            CertificateInfo revoked = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "old.example.org"), "t");
            store.revoke(revoked.id(), RevocationReason.KEY_COMPROMISE, "t");
            store.issue(IssueRequest.of(ca.id(), Role.AGENT, "new.example.org"), "t");
            List<CaInfo> cas = store.cas();
            List<CertificateInfo> certificates = store.certificates(CertificateQuery.all());
            store.close();
            Map<String, Long> before = files.snapshot();

            StateSide source = StateSide.files(data);
            StateSide shared = StateSide.shared(data, backend.server("migrate"));
            assertNull(copy.refusal(source, Map.of("CERTWATCH_KEY_PASSWORD", Stores.PASSWORD), dir));
            assertNotNull(copy.refusal(source, Map.of("CERTWATCH_KEY_PASSWORD", "another password"), dir));
            List<Tally> tally = copy.tally(source);
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L), copy.tally(shared).stream().map(Tally::count).toList());
            copy.copy(source, shared);
            assertEquals(tally, copy.tally(shared));
            assertEquals(before, files.snapshot(), "the source is only read");
            assertNotEquals(0L, tally.get(1).count());
            assertNotEquals(0L, tally.get(4).count(), "the CRL of the revocation");

            PkiStore onShared = files.openShared(backend.server("a"), Stores.PASSWORD);
            assertEquals(cas, onShared.cas());
            assertEquals(certificates, onShared.certificates(CertificateQuery.all()));
            onShared.close();

            Path back = dir.resolve("back");
            StateSide filesAgain = StateSide.files(back);
            copy.copy(shared, filesAgain);
            assertEquals(tally, copy.tally(filesAgain));
            try (Stores again = new Stores(back, SettableClock.atSystemTime())) {
                PkiStore reopened = again.open();
                assertEquals(cas, reopened.cas());
                assertEquals(certificates, reopened.certificates(CertificateQuery.all()));
            }
        }
    }
}
