package org.certwatch.commons.persistence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two servers' views of one document: others' writes are reported, a write over them is refused. */
class SharedDocumentTest {
    final MemoryPersistence shared = new MemoryPersistence();
    final SharedDocument a = new SharedDocument(shared.server("a"), "test", "book");
    final SharedDocument b = new SharedDocument(shared.server("b"), "test", "book");

    @AfterEach
    void close() throws InterruptedException {
        shared.close();
    }

    @Test
    void othersWritesAreReportedOwnAreNot() throws Exception {
        assertEquals(Optional.empty(), a.read());
        assertEquals(Optional.empty(), b.read());
        a.write("one".getBytes(UTF_8));
        assertTrue(a.changed().isEmpty(), "its own write");
        assertArrayEquals("one".getBytes(UTF_8), b.changed().orElseThrow());
        assertTrue(b.changed().isEmpty(), "reported once");
        b.write("two".getBytes(UTF_8));
        assertArrayEquals("two".getBytes(UTF_8), a.changed().orElseThrow());
    }

    @Test
    void aWriteOverAnotherServersChangeIsRefused() throws Exception {
        a.read();
        b.read();
        a.write("one".getBytes(UTF_8));
        assertThrows(IllegalStateException.class, () -> b.write("two".getBytes(UTF_8)));
        assertArrayEquals("one".getBytes(UTF_8), a.read().orElseThrow());
        String written = b.exclusively(() -> {
            b.changed(); // what a writer does first under the lock
            b.write("two".getBytes(UTF_8));
            return "two";
        });
        assertEquals("two", written);
    }

    @Test
    void watchersHearEveryServersWrites() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        try (Subscription s = b.watch(heard::incrementAndGet)) {
            a.write("one".getBytes(UTF_8));
            shared.settle();
            assertEquals(1, heard.get());
        }
        a.changed();
        a.write("two".getBytes(UTF_8));
        shared.settle();
        assertEquals(1, heard.get(), "closed");
    }
}
