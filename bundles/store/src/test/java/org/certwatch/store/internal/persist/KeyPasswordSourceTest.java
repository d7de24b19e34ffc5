package org.certwatch.store.internal.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPasswordSourceTest {
    @TempDir
    Path data;

    @Test
    void environmentThenFileThenInitialCredentials() throws Exception {
        Files.writeString(data.resolve("initial-credentials"),
                "CERTWATCH_ADMIN_PASSWORD=a\nCERTWATCH_KEY_PASSWORD=fromCredentials\n");
        Path file = data.resolve("outside.txt");
        Files.writeString(file, "fromFile\n");
        assertEquals("fromEnv", new String(KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD", "fromEnv",
                "CERTWATCH_KEY_PASSWORD_FILE", file.toString()), data).password()));
        assertEquals("fromFile", new String(KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD_FILE",
                file.toString()), data).password()));
        KeyPasswordSource credentials = KeyPasswordSource.resolve(Map.of(), data);
        assertEquals("fromCredentials", new String(credentials.password()));
        assertTrue(credentials.origin().endsWith("initial-credentials"));
    }

    @Test
    void missingOrEmptySourcesAreExplained() throws Exception {
        IOException e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of(), data));
        assertTrue(e.getMessage().contains("no key password"), e.getMessage());
        e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD_FILE",
                data.resolve("nope").toString()), data));
        assertTrue(e.getMessage().contains("not a readable file"), e.getMessage());
        Files.writeString(data.resolve("empty"), "\n");
        e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD_FILE",
                data.resolve("empty").toString()), data));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }
}
