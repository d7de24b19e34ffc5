package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's renames of groups applied to the store: CAs and certificates at the old path or below it move,
 * the rest stays; a rename is applied once however often it is offered, also after a reopen and a rekey; renames
 * missed while the store was closed are applied in order at once; two servers sharing the store both follow.
 */
class GroupRenamesTest {
    private static final Instant AT = Instant.parse("2026-12-05T04:00:00Z");
    private static final GroupRename FIRST = new GroupRename(1, "All/Berlin/Lab", "All/Berlin/Lab-2", AT);
    private static final GroupRename SECOND = new GroupRename(2, "All/Berlin", "All/Potsdam", AT);

    @TempDir
    Path dir;

    private static IssueRequest in(long caId, String host, String group) {
        return new IssueRequest(caId, Role.AGENT, host, List.of(), null, null, group, null, null);
    }

    @Test
    void renamesMoveWhatLiesInTheGroupOnceAndSurviveAReopenAndARekey() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(new CaRequest("CN=Lab CA", null, null, "", "All/Berlin/Lab"), "t");
            CertificateInfo lab = store.issue(in(ca.id(), "lab.example.org", "All/Berlin/Lab"), "t");
            CertificateInfo bench = store.issue(in(ca.id(), "bench.example.org", "All/Berlin/Lab/Bench"), "t");
            CertificateInfo labs = store.issue(in(ca.id(), "labs.example.org", "All/Berlin/Labs"), "t");
            CertificateInfo root = store.issue(in(ca.id(), "root.example.org", "All"), "t");

            stores.events.clear();
            assertEquals(1, store.applyGroupRenames(List.of(FIRST)));
            assertEquals(List.of(Topics.CA_CHANGED, Topics.CERTIFICATE_CHANGED, Topics.CERTIFICATE_CHANGED), stores.events,
                    "the CA and the two certificates moved are announced");
            assertEquals(0, store.applyGroupRenames(List.of(FIRST)), "the same rename again changes nothing");
            assertEquals(3, stores.events.size());
            assertEquals(1, store.lastGroupRename());
            assertEquals("All/Berlin/Lab-2", store.ca(ca.id()).orElseThrow().homeGroup());
            assertEquals("All/Berlin/Lab-2", store.certificate(lab.id()).orElseThrow().homeGroup());
            assertEquals("All/Berlin/Lab-2/Bench", store.certificate(bench.id()).orElseThrow().homeGroup());
            assertEquals("All/Berlin/Labs", store.certificate(labs.id()).orElseThrow().homeGroup());
            assertEquals("All", store.certificate(root.id()).orElseThrow().homeGroup());
            store.close();

            // closed while the second rename was made: the catch-up offers both, the first is skipped
            PkiStore reopened = stores.open();
            assertEquals(1, reopened.lastGroupRename());
            assertEquals(1, reopened.applyGroupRenames(List.of(FIRST, SECOND)));
            assertEquals("All/Potsdam/Lab-2/Bench", reopened.certificate(bench.id()).orElseThrow().homeGroup());
            assertEquals("All/Potsdam/Labs", reopened.certificate(labs.id()).orElseThrow().homeGroup());
            reopened.rekey("another long password".toCharArray(), "alice");
            reopened.close();

            PkiStore rekeyed = stores.open("another long password");
            assertEquals(2, rekeyed.lastGroupRename(), "the new generation keeps the number");
            assertEquals(0, rekeyed.applyGroupRenames(List.of(FIRST, SECOND)));
            assertEquals("All/Potsdam/Lab-2", rekeyed.ca(ca.id()).orElseThrow().homeGroup());
            assertEquals("All/Potsdam/Lab-2/Bench", rekeyed.certificate(bench.id()).orElseThrow().homeGroup());
        }
    }

    @Test
    void twoServersSharingTheStoreApplyARenameOnceAndBothFollow() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime()); MemoryPersistence backend = new MemoryPersistence()) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            PkiStore b = stores.openShared(backend.server("b"), Stores.PASSWORD);
            CaInfo ca = a.createCa(new CaRequest("CN=Shared", null, null, "", "All"), "t");
            CertificateInfo lab = a.issue(in(ca.id(), "lab.example.org", "All/Berlin/Lab"), "t");
            backend.settle();
            // both servers got the event: both offer the rename
            a.applyGroupRenames(List.of(FIRST));
            b.applyGroupRenames(List.of(FIRST));
            backend.settle();
            assertEquals("All/Berlin/Lab-2", a.certificate(lab.id()).orElseThrow().homeGroup());
            assertEquals("All/Berlin/Lab-2", b.certificate(lab.id()).orElseThrow().homeGroup());
            assertEquals(1, b.lastGroupRename());
            a.applyGroupRenames(List.of(FIRST, SECOND));
            backend.settle();
            assertEquals("All/Potsdam/Lab-2", b.certificate(lab.id()).orElseThrow().homeGroup());
            assertEquals(2, b.lastGroupRename());
            PkiStore c = stores.openShared(backend.server("c"), Stores.PASSWORD);
            assertEquals("All/Potsdam/Lab-2", c.certificate(lab.id()).orElseThrow().homeGroup());
        }
    }
}
