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
    Path etc;

    @Test
    void environmentThenNamedFileThenTheConfigurationFolder() throws Exception {
        Files.writeString(etc.resolve("key-password"), "fromEtc\n");
        Path file = etc.resolve("outside.txt");
        Files.writeString(file, "fromFile\n");
        assertEquals("fromEnv", new String(KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD", "fromEnv",
                "CERTWATCH_KEY_PASSWORD_FILE", file.toString()), etc).password()));
        assertEquals("fromFile", new String(KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD_FILE",
                file.toString()), etc).password()));
        KeyPasswordSource fromEtc = KeyPasswordSource.resolve(Map.of(), etc);
        assertEquals("fromEtc", new String(fromEtc.password()));
        assertEquals("file " + etc.resolve("key-password"), fromEtc.origin());
    }

    @Test
    void theDataFolderIsNoSource() throws Exception {
        // an older installation's initial-credentials line is the launcher's to move; the store never reads it
        Files.writeString(etc.resolve("initial-credentials"), "CERTWATCH_KEY_PASSWORD=inData\n");
        IOException e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of(), etc));
        assertTrue(e.getMessage().contains("no key password: " + etc.resolve("key-password") + " is missing"),
                e.getMessage());
    }

    @Test
    void missingOrEmptySourcesAreExplained() throws Exception {
        IOException e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of("CERTWATCH_KEY_PASSWORD_FILE",
                etc.resolve("nope").toString()), etc));
        assertTrue(e.getMessage().contains("not a readable file"), e.getMessage());
        Files.writeString(etc.resolve("key-password"), "\n");
        e = assertThrows(IOException.class, () -> KeyPasswordSource.resolve(Map.of(), etc));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }
}
