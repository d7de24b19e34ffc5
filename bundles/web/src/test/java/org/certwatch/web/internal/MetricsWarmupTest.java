package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.certwatch.api.Role;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/** Issue 18: the labels of every certificate are made before the first scrape asks for them, and again after changes. */
class MetricsWarmupTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theWarmupMakesEveryLabelAndFollowsChangesOnItsOwnThreadWhichStopsWithIt() throws Exception {
        try (TestWeb web = new TestWeb()) {
            var ca = web.store.addCa("CN=Warm CA", "All/Berlin", TestWeb.START.plus(Duration.ofDays(3000)));
            for (int i = 0; i < 500; i++) {
                web.store.add(ca.id(), Role.AGENT, "pc-" + i, i % 2 == 0 ? "All/Berlin" : "All/Hamburg",
                        TestWeb.START.plus(Duration.ofDays(1 + i)));
            }
            Metrics metrics = new Metrics(new Views(web, Duration.ofDays(90)), web);
            MetricsWarmup warmup = new MetricsWarmup(metrics, 0);
            assertEquals(0, metrics.labelsKept());
            warmup.start();
            CertwatchServer.await("the labels of all 500 certificates", WAIT, () -> metrics.labelsKept() == 500);
            assertTrue(warmupThreadRuns(), "its own thread");

            web.store.add(ca.id(), Role.AGENT, "pc-new", "All/Berlin", TestWeb.START.plus(Duration.ofDays(9)));
            warmup.changed();
            CertwatchServer.await("the new certificate's labels", WAIT, () -> metrics.labelsKept() == 501);

            warmup.stop();
            // the pool has terminated; its thread may take a moment more to end
            CertwatchServer.await("the warm-up's thread ends with the component", WAIT, () -> !warmupThreadRuns());
            warmup.changed(); // an event after the stop is ignored
        }
    }

    private static boolean warmupThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("certwatch-web-metrics-warmup"));
    }
}
