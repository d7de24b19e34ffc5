package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live {@code .cfg} change (StoreComponent's @Modified) applies to the open store without reopening it. */
class ReconfigureTest {
    @TempDir
    Path dir;

    @Test
    void changedSettingsApplyToTheNextCaAndTooFewIterationsAreRefused() throws Exception {
        Instant now = Instant.parse("2027-01-01T00:00:00Z");
        try (Stores stores = new Stores(dir, new SettableClock(now))) {
            PkiStore store = stores.open();
            CaInfo before = store.createCa(CaRequest.of("CN=Before"), "t");
            assertEquals(now.plus(Duration.ofDays(3652)), before.notAfter().truncatedTo(ChronoUnit.SECONDS));

            StoreSettings defaults = StoreSettings.defaults();
            store.reconfigure(new StoreSettings(defaults.clockSkew(), defaults.crlBaseUrl(), defaults.crlValidity(),
                    defaults.certificateValidity(), Duration.ofDays(60), defaults.keyIterations()));
            CaInfo after = store.createCa(CaRequest.of("CN=After"), "t");
            assertEquals(now.plus(Duration.ofDays(60)), after.notAfter().truncatedTo(ChronoUnit.SECONDS));

            assertThrows(IllegalArgumentException.class, () -> store.reconfigure(defaults.withKeyIterations(1000)));
            CaInfo still = store.createCa(CaRequest.of("CN=Still"), "t");
            assertEquals(now.plus(Duration.ofDays(60)), still.notAfter().truncatedTo(ChronoUnit.SECONDS));
        }
    }
}
