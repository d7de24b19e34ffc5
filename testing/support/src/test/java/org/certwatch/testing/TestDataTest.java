package org.certwatch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToSharedTestdataNextToTheRepository() throws Exception {
        Path root = Files.createDirectories(dir.resolve("clone"));
        Path suites = Files.createDirectories(dir.resolve("shared/testdata/suites"));
        assertEquals(suites.toAbsolutePath(), TestData.folder(Map.of(), root, "suites", "x"));
    }

    @Test
    void theVariableNamesTheFolder() throws Exception {
        Path suites = Files.createDirectories(dir.resolve("elsewhere/suites"));
        assertEquals(suites.toAbsolutePath(), TestData.folder(Map.of(TestData.VARIABLE,
                dir.resolve("elsewhere").toString()), dir.resolve("clone"), "suites", "x"));
    }

    @Test
    void aMissingFolderFailsWithOneLineNamingItAndItsContents() {
        AssertionError e = assertThrows(AssertionError.class, () -> TestData.folder(Map.of(TestData.VARIABLE,
                dir.toString()), dir, "protos-c06-snmpv1", "the OUSPG PROTOS c06-snmpv1 request suites"));
        assertTrue(e.getMessage().contains(dir.resolve("protos-c06-snmpv1").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("the OUSPG PROTOS c06-snmpv1 request suites"), e.getMessage());
        assertTrue(e.getMessage().contains("CERTWATCH_TESTDATA"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
