package org.certwatch.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final List<String> CAPABILITIES = List.of("postgresql", "store", "web");

    @Test
    void waitsWhileACapabilityHasSaidNothing() {
        assertNull(Readiness.except(List.of("store", "web"), Map.of("store", ""), Map.of(), false, "silent"));
    }

    @Test
    void readyWhenEveryCapabilityServes() {
        assertEquals(List.of(), Readiness.except(List.of("store", "web"), Map.of("store", "", "web", ""), Map.of(),
                false, "silent"));
    }

    @Test
    void aFailedCapabilityIsNamedWithWhyAndASilentOneOnceLate() {
        Map<String, String> states = Map.of("web", "HTTPS on 0.0.0.0:8443: Address already in use");
        assertNull(Readiness.except(List.of("store", "web"), states, Map.of(), false, "silent"), "the store may still open");
        assertEquals(List.of("store (not serving after 120 s)", "web (HTTPS on 0.0.0.0:8443: Address already in use)"),
                Readiness.except(List.of("store", "web"), states, Map.of(), true, "not serving after 120 s"));
    }

    @Test
    void aDatabaseDownAtStartIsNamedAtOnceWithWhatWaitsForIt() {
        Map<String, String> states = Map.of("postgresql", "waiting for the database: PostgreSQL at db:5432 unreachable"
                + " (Connection refused), retrying every 3 s", "store", "waiting for the postgresql backend");
        assertEquals(List.of("postgresql (waiting for the database: PostgreSQL at db:5432 unreachable (Connection refused),"
                + " retrying every 3 s)", "store (waiting for the postgresql backend)", "web (waiting for CertificateStore)"),
                Readiness.except(CAPABILITIES, states, Map.of("web", "CertificateStore"), false, "silent"));
    }

    @Test
    void aComponentWaitingForAServiceWhileNothingIsAmissIsStillStarting() {
        // at every start the web waits for the store a moment: that alone never writes the line early
        assertNull(Readiness.except(CAPABILITIES, Map.of("postgresql", "", "store", ""), Map.of("web", "CertificateStore"),
                false, "silent"));
        assertNull(Readiness.except(CAPABILITIES, Map.of("postgresql", "waiting for the database"), Map.of(), false,
                "silent"), "the store has not said what it does yet, and no component of its bundle waits");
    }

    @Test
    void aCapabilitySayingItWaitsForAServiceCountsAsWaitingOnlyWhenSomethingElseIsAmiss() {
        // the store serves, its service is being bound: the web and the agent endpoint said they wait a moment ago
        Map<String, String> starting = Map.of("postgresql", "", "store", "", "web", "waiting for CertificateStore");
        assertNull(Readiness.except(CAPABILITIES, starting, Map.of(), false, "silent"));
        assertEquals(List.of("web (waiting for CertificateStore)"),
                Readiness.except(CAPABILITIES, starting, Map.of(), true, "silent"), "named once late");
        Map<String, String> down = Map.of("postgresql", "waiting for the database", "store",
                "waiting for the postgresql backend", "web", "waiting for CertificateStore");
        assertEquals(List.of("postgresql (waiting for the database)", "store (waiting for the postgresql backend)",
                "web (waiting for CertificateStore)"), Readiness.except(CAPABILITIES, down, Map.of(), false, "silent"));
    }
}
