package org.certwatch.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    @Test
    void waitsWhileACapabilityHasSaidNothing() {
        assertNull(Readiness.except(List.of("store", "web"), Map.of("store", ""), false, "silent"));
    }

    @Test
    void readyWhenEveryCapabilityServes() {
        assertEquals(List.of(), Readiness.except(List.of("store", "web"), Map.of("store", "", "web", ""), false, "silent"));
    }

    @Test
    void aFailedCapabilityIsNamedWithWhyAndASilentOneOnceLate() {
        Map<String, String> states = Map.of("web", "HTTPS on 0.0.0.0:8443: Address already in use");
        assertNull(Readiness.except(List.of("store", "web"), states, false, "silent"), "the store may still open");
        assertEquals(List.of("store (not serving after 120 s)", "web (HTTPS on 0.0.0.0:8443: Address already in use)"),
                Readiness.except(List.of("store", "web"), states, true, "not serving after 120 s"));
    }
}
