package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainArgumentsTest {
    @Test
    void theServerStartsWithoutArguments() {
        assertNull(Main.refusal(new String[0]));
    }

    @Test
    void anyArgumentIsRefusedWithTheUsageInsteadOfStartingAServer() {
        for (String first : new String[] {"agent", "--help", "ready", "run", "consol"}) {
            String refusal = Main.refusal(new String[] {first, "--data", "x"});
            assertTrue(refusal.startsWith("unknown command '" + first + "'\nusage: certwatch "), refusal);
            assertTrue(refusal.contains("certwatch console") && refusal.contains("certwatch agent"), refusal);
        }
    }
}
