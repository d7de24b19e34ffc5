package org.certwatch.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendReferencesTest {
    @Test
    void aReferenceToTheOtherBackendNeverBlocksACapability() {
        assertTrue(ReadinessReporter.forAnotherBackend("(certwatch.backend=postgresql)", "file"));
        assertTrue(ReadinessReporter.forAnotherBackend("(&(objectClass=x)(certwatch.backend=postgresql))", "file"));
    }

    @Test
    void aReferenceToTheChosenBackendOrToNoneDoes() {
        assertFalse(ReadinessReporter.forAnotherBackend("(certwatch.backend=postgresql)", "postgresql"));
        assertFalse(ReadinessReporter.forAnotherBackend("(certwatch.channel=mail)", "file"));
        assertFalse(ReadinessReporter.forAnotherBackend(null, "file"));
    }
}
