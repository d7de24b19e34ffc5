package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The targets set on one server reach another: it hears of them and reads the same entries. */
class SharedTargetsTest {
    final MemoryPersistence shared = new MemoryPersistence();

    @AfterEach
    void close() throws InterruptedException {
        shared.close();
    }

    @Test
    void targetsSetOnOneServerAreAppliedByTheOther() throws Exception {
        ManagedTargets a = new ManagedTargets(new SharedDocument(shared.server("a"), "snmp", "targets"));
        ManagedTargets b = new ManagedTargets(new SharedDocument(shared.server("b"), "snmp", "targets"));
        assertEquals(List.of(), b.read());
        AtomicInteger heard = new AtomicInteger();
        try (Subscription s = b.watch(heard::incrementAndGet)) {
            a.read();
            a.write(List.of("192.0.2.1:162,v2c,trap,public"));
            shared.settle();
            assertEquals(1, heard.get());
            assertFalse(a.changed(), "its own write");
            assertTrue(b.changed());
            assertEquals(List.of("192.0.2.1:162,v2c,trap,public"), b.read());
        }
    }

    @Test
    void withoutItsBackendTheLastTargetsStayAndAWriteIsRefused() throws Exception {
        ManagedTargets targets = new ManagedTargets(new SharedDocument(shared.server("a"), "snmp", "targets"));
        targets.write(List.of("192.0.2.1:162,v2c,trap,public"));
        targets.use(null);
        assertEquals(List.of("192.0.2.1:162,v2c,trap,public"), targets.read(), "the targets in force stay");
        assertFalse(targets.changed());
        StorageUnavailableException refused = assertThrows(StorageUnavailableException.class,
                () -> targets.write(List.of()));
        assertTrue(refused.getMessage().contains("storage backend is unavailable"), refused.getMessage());
        targets.use(new SharedDocument(shared.server("a"), "snmp", "targets"));
        assertEquals(List.of("192.0.2.1:162,v2c,trap,public"), targets.read(), "nothing was lost");
    }

    @Test
    void pagesAskingForTheTargetsReadTheDocumentOnceUntilTheWatchHearsOfAChange() throws Exception {
        SharedDocument document = new SharedDocument(shared.server("b"), "snmp", "targets");
        AtomicInteger reads = new AtomicInteger();
        StoredDocument counted = new StoredDocument() {
            @Override
            public Optional<byte[]> read() throws java.io.IOException {
                reads.incrementAndGet();
                return document.read();
            }

            @Override
            public void write(byte[] bytes) throws java.io.IOException {
                document.write(bytes);
            }

            @Override
            public Subscription watch(Runnable changed) {
                return document.watch(changed);
            }

            @Override
            public String name() {
                return document.name();
            }
        };
        ManagedTargets a = new ManagedTargets(new SharedDocument(shared.server("a"), "snmp", "targets"));
        ManagedTargets b = new ManagedTargets(counted);
        AtomicInteger heard = new AtomicInteger();
        try (Subscription s = b.watch(heard::incrementAndGet)) {
            assertEquals(List.of(), b.read());
            assertEquals(List.of(), b.read());
            assertEquals(1, reads.get(), "the second read came from what the first read");
            a.read();
            a.write(List.of("192.0.2.7:162,v2c,trap,public"));
            shared.settle();
            assertEquals(1, heard.get());
            assertEquals(List.of("192.0.2.7:162,v2c,trap,public"), b.read(), "read again once the watch heard of it");
            assertEquals(2, reads.get());
        }
    }
}
