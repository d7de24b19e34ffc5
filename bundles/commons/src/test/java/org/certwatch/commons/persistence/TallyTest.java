package org.certwatch.commons.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A migration's fingerprint does not depend on the order things are read in, and changes with one byte. */
class TallyTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theOrderDoesNotMatterAByteDoes() {
        Tally one = Tally.of("users", List.of(b("alice"), b("bob")));
        assertEquals(one, Tally.of("users", List.of(b("bob"), b("alice"))));
        assertEquals(2, one.count());
        assertNotEquals(one, Tally.of("users", List.of(b("alice"), b("bon"))));
        assertNotEquals(one, Tally.of("users", List.of(b("alice"), b("bob"), b("bob"))));
        assertEquals(new Tally("users", 0, Tally.NONE), Tally.of("users", List.of()));
        assertEquals(new Tally("settings", 0, Tally.NONE), Tally.ofDocument("settings", 0, null));
    }
}
