package org.certwatch.commons.unavailable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.junit.jupiter.api.Test;

class UnavailableTest {
    @Test
    void findsTheUnavailableStorageAnywhereInTheCauseChain() {
        assertEquals(Unavailable.EXCEPTION, StorageUnavailableException.class.getName());
        StorageUnavailableException down = new StorageUnavailableException("PostgreSQL at db:5432 unreachable", null);
        assertEquals("PostgreSQL at db:5432 unreachable", Unavailable.why(down).orElseThrow());
        assertEquals("PostgreSQL at db:5432 unreachable", Unavailable.why(new UncheckedIOException(
                new IOException("queued write failed", down))).orElseThrow());
        assertTrue(Unavailable.why(new IllegalStateException("a bug")).isEmpty());
        assertTrue(Unavailable.why(null).isEmpty());
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertTrue(Unavailable.why(a).isEmpty());
    }
}
